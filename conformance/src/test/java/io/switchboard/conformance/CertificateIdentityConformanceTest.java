package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Section 5 (authentication of clients): the name a TLS client certificate gives the client, as
 * each listener's {@code tls.identity} says (the first source present wins), handed to the
 * authenticator and, by the default authenticator, made the client's authentication name.
 */
class CertificateIdentityConformanceTest {
    static final TestPki pki = TestPki.create();
    /** CN device-7, with a SAN of every kind but IP. */
    static final Identity withSans = pki.issueClient("device-7", "device-7",
            new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/device-7"),
            new GeneralName(GeneralName.dNSName, "device-7.example.org"),
            new GeneralName(GeneralName.rfc822Name, "device-7@example.org"));
    /** No CN at all, a URI SAN only. */
    static final Identity withoutCn = pki.issueClient("no-cn", null,
            new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/no-cn"));

    static final Map<String, ConnectAttempt> attempts = new ConcurrentHashMap<>();

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(listeners()).with(b -> b.authenticator(a -> {
        attempts.put(a.clientId(), a);
        return CompletableFuture.completedFuture(AuthOutcome.success());
    }));

    private static String listeners() {
        String tls = "certificate: \"" + pki.server().certificate() + "\", key: \"" + pki.server().key()
                + "\", clientAuth: required, trustedCertificates: \"" + pki.ca().certificate() + "\"";
        StringBuilder yaml = new StringBuilder("listeners:\n  - {name: default, port: 0}\n");
        for (String[] l : new String[][] {{"cn", "[cn]"}, {"dn", "[dn]"}, {"san-uri", "[san-uri, cn]"},
                {"san-dns", "[san-dns]"}, {"san-email", "[san-email]"}, {"san-ip", "[san-ip]"}}) {
            yaml.append("  - {name: ").append(l[0]).append(", type: tls, port: 0, tls: {").append(tls)
                    .append(", identity: ").append(l[1]).append("}}\n");
        }
        return yaml.toString();
    }

    private static ConnectAttempt connectWith(String listener, Identity cert, MqttVersion v) {
        String id = "cert-" + listener + "-" + cert.certificate().getFileName() + "-" + v;
        try (RawClient c = RawClient.openTls(broker.port(listener), v, pki.clientContext(cert))) {
            c.send(new ConnectPacket(v, true, 0, id, null, null, null, Properties.EMPTY));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
        assertThat(attempts).containsKey(id);
        return attempts.get(id);
    }

    @ParameterizedTest(name = "identity of listener {0}, certificate {1}: {2}")
    @CsvSource(nullValues = "none", value = {
            "cn,        device-7, device-7",
            "dn,        device-7, 'CN=device-7,O=Switchboard tests'",
            "san-uri,   device-7, spiffe://example.org/device-7",
            "san-uri,   client,   device-42",               // no URI SAN: the next source, cn
            "san-dns,   device-7, device-7.example.org",
            "san-email, device-7, device-7@example.org",
            "san-ip,    device-7, none",                    // no source present: no certificate name
            "cn,        no-cn,    none",
            "san-uri,   no-cn,    spiffe://example.org/no-cn"})
    @DisplayName("the certificate name comes from the first identity source present")
    void certificateNameFromTheConfiguredSource(String listener, String certificate, String expected) {
        Identity cert = switch (certificate) {
            case "device-7" -> withSans;
            case "no-cn" -> withoutCn;
            default -> pki.client();
        };
        for (MqttVersion v : new MqttVersion[] {MqttVersion.V3_1_1, MqttVersion.V5}) {
            ConnectAttempt a = connectWith(listener, cert, v);
            assertThat(a.certificateName()).as("MQTT %s", v).isEqualTo(expected);
            assertThat(a.clientCertificates()).first().isEqualTo(cert.x509());
            assertThat(a.transport()).isEqualTo("tls");
            assertThat(a.listener()).isEqualTo(listener);
        }
    }
}
