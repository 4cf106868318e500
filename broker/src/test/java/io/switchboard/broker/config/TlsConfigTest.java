package io.switchboard.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The keys of a listener's {@code tls} section that say how its files are reloaded and checked. */
class TlsConfigTest {

    private static TlsConfig tls(String settings) {
        return ConfigLoader.parse("""
                listeners:
                  - name: secure
                    type: tls
                    tls: {certificate: server.pem, key: server.key%s}
                """.formatted(settings), "test.yaml").listeners().get(0).tls();
    }

    @Test
    void reloadAndRevocationDefaults() {
        TlsConfig t = tls("");
        assertThat(t.reloadCheckSeconds()).isEqualTo(10);
        assertThat(t.closeRevoked()).isTrue();
        assertThat(t.crl()).isNull();
    }

    @Test
    void reloadAndRevocationKeysAreRead() {
        TlsConfig t = tls(", clientAuth: required, trustedCertificates: ca.pem, crl: crl.pem,"
                + " reloadCheckSeconds: 0, closeRevoked: false");
        assertThat(t.crl()).isEqualTo("crl.pem");
        assertThat(t.reloadCheckSeconds()).isZero();
        assertThat(t.closeRevoked()).isFalse();
    }

    @Test
    void crlWithoutClientCertificatesIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> tls(", crl: crl.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: tls.crl is set but tls.clientAuth is 'none': revocation lists check client"
                        + " certificates, so set clientAuth to optional or required, or remove tls.crl");
    }

    @Test
    void negativeReloadCheckIsRefusedWithTheRange() {
        assertThatThrownBy(() -> tls(", reloadCheckSeconds: -1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.reloadCheckSeconds").hasMessageContaining("'-1'")
                .hasMessageContaining("0..86400");
    }
}
