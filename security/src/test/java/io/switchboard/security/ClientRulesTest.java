package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.WireClient.ConnAck;
import io.switchboard.security.WireClient.Endpoint;
import io.switchboard.security.WireClient.Library;
import io.switchboard.security.WireClient.Received;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Client rules: a population of certificates registered by issuer and subject patterns instead of
 * one entry each, with attributes taken from certificate fields, over real TLS with certificates
 * the test issues ({@code O=Switchboard tests,CN=<name>}, issuer {@code CN=Switchboard Test CA}).
 * A camera in by rule gets its group and the topic its attributes give it; certificates no rule
 * matches, a disabled rule and a disabled entry are refused with 0x87 and the reason; the name
 * comes from the DNS SAN first on a listener with {@code identity: [san-dns, cn]}; a name that is
 * not one plain topic level is refused whatever the rules say.
 */
class ClientRulesTest {
    static final String POLICY = """
            clients:
              - {authenticationName: viewer, attributes: {type: viewer}}
              - {authenticationName: cam-5, attributes: {type: camera, model: special}}
              - {authenticationName: cam-9, state: disabled, attributes: {type: camera, model: cam-9}}
              - {authenticationName: lamp.example, attributes: {type: lamp}}
            clientRules:
              - {name: cams, issuer: {CN: Switchboard Test CA}, subject: {CN: 'cam-*'},
                 attributes: {type: camera, model: '${certificate.subject.CN}'}}
              - {name: retired, issuer: {CN: Switchboard Test CA}, subject: {CN: 'old-*'}, state: disabled,
                 attributes: {type: camera, model: '${certificate.subject.CN}'}}
              - {name: foreign, issuer: {CN: Other Factory CA}, subject: {CN: 'lamp-*'}, attributes: {type: lamp}}
            clientGroups:
              - {name: cameras, query: 'attributes.type = "camera"'}
              - {name: viewers, query: 'attributes.type = "viewer"'}
              - {name: lamps, query: 'attributes.type = "lamp"'}
            topicSpaces:
              - {name: camFeed, topicTemplates: ['cams/${client.attributes.model}/feed']}
              - {name: lampState, topicTemplates: ['lamps/${client.authenticationName}/state']}
              - {name: everything, topicTemplates: ['cams/+/feed', 'lamps/+/state']}
            permissionBindings:
              - {name: camPub, clientGroupName: cameras, topicSpaceName: camFeed, permission: publisher}
              - {name: lampPub, clientGroupName: lamps, topicSpaceName: lampState, permission: publisher}
              - {name: viewerSub, clientGroupName: viewers, topicSpaceName: everything, permission: subscriber}
            """;
    /** The registry's refusal of a name that is not one plain topic level. */
    static final String BAD_NAME = "the authentication name from the certificate is refused: it is empty, contains"
            + " '+', '#', '/' or NUL, or starts with '$'";

    /** With one more listener that takes the name from the DNS SAN first, then the CN. */
    static final SecureBroker SECURE = new SecureBroker(POLICY, "", pki -> "  - {name: tls-san, type: tls, port: 0, tls: "
            + pki.listenerTls("required").replaceFirst("}$", ", identity: [san-dns, cn]}") + "}");
    @RegisterExtension
    static final EmbeddedBroker BROKER = SECURE.broker;

    private final List<WireClient> open = new ArrayList<>();
    private WireClient viewer;

    @BeforeEach
    void connectViewer() throws Exception {
        viewer = connected("tls", SECURE.certificate("viewer"), "viewer-" + System.nanoTime());
        assertThat(viewer.subscribe(1, "cams/+/feed", "lamps/+/state")).containsExactly(1, 1);
    }

    @AfterEach
    void closeClients() throws Exception {
        for (WireClient c : open) {
            c.close();
        }
    }

    WireClient client(String listener, TestPki.Identity certificate, String id, int version) throws Exception {
        WireClient c = WireClient.create(Library.HIVEMQ, version, id, Endpoint.tls(SECURE, listener, certificate));
        open.add(c);
        return c;
    }

    WireClient connected(String listener, TestPki.Identity certificate, String id) throws Exception {
        WireClient c = client(listener, certificate, id, 5);
        assertThat(c.connect()).isEqualTo(new ConnAck(0, null));
        return c;
    }

    ConnAck refused(String listener, TestPki.Identity certificate, int version) throws Exception {
        return client(listener, certificate, "refused-" + System.nanoTime(), version).connect();
    }

    /** {@code c} may publish to {@code allowed} (the viewer receives it), not to {@code denied} (PUBACK 0x87). */
    void assertPublishes(WireClient c, String allowed, String denied) throws Exception {
        assertThat(c.publish(allowed, "first", 1)).isZero();
        assertThat(viewer.next()).isEqualTo(new Received(allowed, "first"));
        assertThat(c.publish(denied, "forged", 1)).isEqualTo(0x87);
        // The refused message never reached the viewer: what it gets next is a marker sent after it.
        assertThat(c.publish(allowed, "marker", 1)).isZero();
        assertThat(viewer.next()).isEqualTo(new Received(allowed, "marker"));
    }

    @Test
    void aCameraWithoutAnEntryIsLetInByTheRuleWithAttributesFromItsCertificate() throws Exception {
        // cam-7 is in no entry: the rule 'cams' registers it, type camera (so group cameras) and model
        // cam-7 from its CN, which the topic template of camFeed resolves to cams/cam-7/feed.
        WireClient cam7 = connected("tls", SECURE.certificate("cam-7"), "cam-7");
        assertPublishes(cam7, "cams/cam-7/feed", "cams/cam-8/feed");
        // It is no viewer: its group gives it no subscriber binding.
        assertThat(cam7.subscribe(1, "cams/cam-7/feed")).containsExactly(0x87);
    }

    @Test
    void anExplicitEntryWinsOverAMatchingRule() throws Exception {
        // cam-5 matches 'cams' too, but its entry says model special: its topic is cams/special/feed.
        WireClient cam5 = connected("tls", SECURE.certificate("cam-5"), "cam-5");
        assertPublishes(cam5, "cams/special/feed", "cams/cam-5/feed");
        // cam-9's entry is disabled: the rule that would let it in does not.
        ConnAck ack = refused("tls", SECURE.certificate("cam-9"), 5);
        assertThat(ack).isEqualTo(new ConnAck(0x87, "client 'cam-9' is disabled"));
    }

    @Test
    void certificatesNoRuleLetsInAreRefusedWithTheReason() throws Exception {
        // No rule for printers.
        assertThat(refused("tls", SECURE.certificate("printer-1"), 5)).isEqualTo(new ConnAck(0x87,
                "'printer-1' is not a registered client, and no client rule matches its certificate"));
        // 'foreign' matches lamp-* only from another issuer: our CA's lamp-1 is not in.
        assertThat(refused("tls", SECURE.certificate("lamp-1"), 5)).isEqualTo(new ConnAck(0x87,
                "'lamp-1' is not a registered client, and no client rule matches its certificate"));
        // A rule with state: disabled registers its certificates as disabled.
        assertThat(refused("tls", SECURE.certificate("old-3"), 5)).isEqualTo(new ConnAck(0x87,
                "client 'old-3' is disabled by client rule 'retired'"));
        // MQTT 3.1.1: return code 5, not authorized.
        assertThat(refused("tls", SECURE.certificate("old-3"), 3).code()).isEqualTo(5);
        assertThat(refused("tls", SECURE.certificate("printer-1"), 3).code()).isEqualTo(5);
    }

    @Test
    void theDnsSanIsTheNameWhereTheListenerTakesItFirst() throws Exception {
        TestPki.Identity lamp = SECURE.pki.issueClient("lamp-san", "lamp-cn",
                new GeneralName(GeneralName.dNSName, "lamp.example"));
        // identity [san-dns, cn]: the client is lamp.example, and its template gives it lamps/lamp.example/state.
        WireClient byName = connected("tls-san", lamp, "lamp-san");
        assertPublishes(byName, "lamps/lamp.example/state", "lamps/lamp-cn/state");
        // The same certificate where the listener takes the CN (the default): lamp-cn, which nothing registers.
        assertThat(refused("tls", lamp, 5)).isEqualTo(new ConnAck(0x87,
                "'lamp-cn' is not a registered client, and no client rule matches its certificate"));

        // A rule matches the certificate's fields whatever the name: CN cam-12 (model cam-12) under
        // the name cam12.factory.example.
        TestPki.Identity cam12 = SECURE.pki.issueClient("cam-12-san", "cam-12",
                new GeneralName(GeneralName.dNSName, "cam12.factory.example"));
        WireClient camBySan = connected("tls-san", cam12, "cam-12");
        assertPublishes(camBySan, "cams/cam-12/feed", "cams/cam12.factory.example/feed");
        // Without a DNS SAN the CN is taken.
        WireClient cam7 = connected("tls-san", SECURE.certificate("cam-7"), "cam-7-on-san");
        assertPublishes(cam7, "cams/cam-7/feed", "cams/cam-12/feed");
    }

    /** Names that are not one plain topic level; {@code cam-7/x} and {@code cam-+} would match the rule 'cams'. */
    @ParameterizedTest(name = "CN {1}")
    @CsvSource(delimiter = '|', value = {"slash|dev/1", "dollar|$dev", "plus|dev\\+1", "hash|dev#1",
            "cam-slash|cam-7/x", "cam-plus|cam-\\+", "cam-hash|cam-#"})
    void aNameThatIsNotOnePlainTopicLevelIsRefused(String file, String commonName) throws Exception {
        TestPki.Identity cert = SECURE.pki.issueClient("bad-" + file, commonName);
        assertThat(refused("tls", cert, 5)).isEqualTo(new ConnAck(0x87, BAD_NAME));
        assertThat(refused("tls", cert, 3).code()).isEqualTo(5);
    }

    @Test
    void aBadNameFromTheDnsSanIsRefusedToo() throws Exception {
        // The SAN is the name on tls-san: '$' would make it a $-topic level.
        TestPki.Identity cert = SECURE.pki.issueClient("bad-san", "cam-3",
                new GeneralName(GeneralName.dNSName, "$cam-3"));
        assertThat(refused("tls-san", cert, 5)).isEqualTo(new ConnAck(0x87, BAD_NAME));
        // Where the CN is the name, the same certificate is an ordinary camera.
        connected("tls", cert, "cam-3");
    }
}
