package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RPC library over TLS, with and without a client certificate, against real certificates. */
class TlsRpcTest {
    static final TestPki PKI = TestPki.create();

    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners:
              - name: tls
                type: tls
                port: 0
                tls: {certificate: "%s", key: "%s", clientAuth: required, trustedCertificates: "%s"}
            """.formatted(PKI.server().certificate(), PKI.server().key(), PKI.ca().certificate()));

    private RpcClient.Builder builder(TlsOptions tls) {
        return RpcClient.builder().host("localhost").port(BROKER.port("tls")).tls(tls);
    }

    @Test
    void callsAndServesOverTlsWithAClientCertificate() {
        TlsOptions tls = TlsOptions.trusting(PKI.ca().certificate())
                .withClientCertificate(PKI.client().certificate(), PKI.client().key());
        try (RpcClient device = builder(tls).connect(); RpcClient backend = builder(tls).connect()) {
            device.serve("tls/echo", r -> Response.of("secure " + r.payloadAsString()));
            assertThat(backend.callBlocking("tls/echo", "hello".getBytes(), CallOptions.defaults()).payloadAsString())
                    .isEqualTo("secure hello");
        }
    }

    @Test
    void aBrokerThatWantsACertificateRefusesAClientWithoutOne() {
        assertThatThrownBy(() -> builder(TlsOptions.trusting(PKI.ca().certificate())).connect())
                .isInstanceOf(ConnectionLostException.class);
    }

    @Test
    void aBrokerWhoseCertificateIsNotTrustedIsRefused() {
        assertThatThrownBy(() -> builder(TlsOptions.trusting(PKI.untrustedCa().certificate())
                .withClientCertificate(PKI.client().certificate(), PKI.client().key())).connect())
                .isInstanceOf(ConnectionLostException.class);
    }

    @Test
    void aKeyInAnotherFormatIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> builder(TlsOptions.trusting(PKI.ca().certificate())
                .withClientCertificate(PKI.client().certificate(), PKI.client().certificate())).connect())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN PRIVATE KEY");
    }
}
