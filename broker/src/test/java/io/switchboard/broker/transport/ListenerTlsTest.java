package io.switchboard.broker.transport;

import static io.switchboard.broker.transport.TlsKeyFormatsTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import io.switchboard.broker.transport.TlsReload.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How a listener's TLS files are checked and reloaded, without a socket: the periodic check reads
 * files only when their size, time of change or inode changed, reloads only when their content
 * changed, and keeps the context in force, with one ERROR line, when the new files cannot be used.
 * (Handshakes over reloaded files: interop's TlsReloadInteropTest.)
 */
class ListenerTlsTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ListenerTls.class);
    private Path cert;
    private Path key;

    @BeforeEach
    void files() throws Exception {
        log.start();
        logger.addAppender(log);
        cert = dir.resolve("server.pem");
        key = dir.resolve("server.key");
        install("rsa.pem", "rsa-pkcs8.key");
    }

    @AfterEach
    void stopCapture() {
        logger.detachAppender(log);
    }

    /** Replaces the files' content, as an editor would (same files, new content). */
    private void install(String certificate, String privateKey) throws Exception {
        Files.copy(fixture(certificate), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(fixture(privateKey), key, StandardCopyOption.REPLACE_EXISTING);
    }

    private ListenerTls listenerTls(Path certificate, Path privateKey) {
        TlsConfig config = new TlsConfig(certificate.toString(), privateKey.toString(), null, null, null, null, null,
                null, 0, null);
        return new ListenerTls("secure", config, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE),
                Clock.systemUTC());
    }

    private List<String> errors() {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aCheckWithoutChangeReloadsNothing() {
        ListenerTls tls = listenerTls(cert, key);
        SslContext before = tls.context();
        assertThat(tls.check().join().outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(tls.reload().join().outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(tls.context()).isSameAs(before);
    }

    @Test
    void aFileTouchedButNotChangedReloadsNothing() throws Exception {
        ListenerTls tls = listenerTls(cert, key);
        SslContext before = tls.context();
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(60)));
        TlsReload r = tls.check().join();
        assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(tls.context()).isSameAs(before);
        assertThat(log.list).isEmpty();
    }

    @Test
    void changedFilesAreReloadedAndNamed() throws Exception {
        ListenerTls tls = listenerTls(cert, key);
        SslContext before = tls.context();
        install("ec.pem", "ec-sec1.key");
        TlsReload r = tls.check().join();
        assertThat(r.outcome()).isEqualTo(Outcome.RELOADED);
        assertThat(r.detail()).isEqualTo("reloaded tls.certificate '" + cert + "', tls.key '" + key + "'");
        assertThat(tls.context()).isNotSameAs(before);
        assertThat(tls.check().join().outcome()).as("nothing changed since").isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aSymbolicLinkSwappedToFilesOfTheSameSizeAndTimeIsSeen() throws Exception {
        // A Kubernetes secret volume: server.pem -> ..data/server.pem, ..data -> ..v1, then ..data -> ..v2
        // by renaming a new link over it. The two versions differ only in a comment (PEM readers skip
        // text between blocks): same size, same time of change; only the file key tells them apart.
        FileTime time = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));
        String pem = Files.readString(fixture("rsa.pem"));
        for (String version : List.of("..v1", "..v2")) {
            Path d = Files.createDirectory(dir.resolve(version));
            Files.writeString(d.resolve("server.pem"), pem + "version " + version.charAt(3) + "\n");
            Files.copy(fixture("rsa-pkcs8.key"), d.resolve("server.key"));
            Files.setLastModifiedTime(d.resolve("server.pem"), time);
            Files.setLastModifiedTime(d.resolve("server.key"), time);
        }
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, Path.of("..v1"));
        Path linkedCert = Files.createSymbolicLink(dir.resolve("mounted.pem"), Path.of("..data/server.pem"));
        Path linkedKey = Files.createSymbolicLink(dir.resolve("mounted.key"), Path.of("..data/server.key"));
        ListenerTls tls = listenerTls(linkedCert, linkedKey);

        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        TlsReload r = tls.check().join();
        assertThat(r.outcome()).isEqualTo(Outcome.RELOADED);
        assertThat(r.detail()).isEqualTo("reloaded tls.certificate '" + linkedCert + "'");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateKeepsTheContextInForceWithOneError() throws Exception {
        ListenerTls tls = listenerTls(cert, key);
        SslContext before = tls.context();
        Files.copy(fixture("ec-pkcs8.key"), key, StandardCopyOption.REPLACE_EXISTING); // rsa.pem stays

        TlsReload r = tls.check().join();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        String problem = "listeners[secure].tls.key: the key in '" + key + "' does not belong to the certificate in '"
                + cert + "' (its first certificate must be the broker's own, the one the key was made for)";
        assertThat(r.detail()).isEqualTo(problem);
        assertThat(tls.context()).isSameAs(before);
        assertThat(errors()).containsExactly(
                "Listener 'secure': TLS files not reloaded, those loaded before stay in use: " + problem);

        // The periodic check does not log the same files again, even touched; a request does.
        assertThat(tls.check().join()).isEqualTo(r);
        Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(tls.check().join().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(errors()).hasSize(1);
        assertThat(tls.reload().join().outcome()).isEqualTo(Outcome.FAILED);
        assertThat(errors()).hasSize(2);

        Files.copy(fixture("rsa-pkcs8.key"), key, StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.check().join().outcome()).as("back to the files in force").isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aFileThatIsNotPemKeepsTheContextInForce() throws Exception {
        ListenerTls tls = listenerTls(cert, key);
        SslContext before = tls.context();
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        TlsReload r = tls.reload().join();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).startsWith("listeners[secure].tls.certificate: '" + cert + "': ");
        assertThat(tls.context()).isSameAs(before);
    }

    @Test
    void aMissingFileKeepsTheContextInForce() throws Exception {
        ListenerTls tls = listenerTls(cert, key);
        Files.delete(key);
        TlsReload r = tls.check().join();
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).isEqualTo("listeners[secure].tls.key: file '" + key
                + "' does not exist or cannot be read");
        assertThat(tls.check().join()).as("still missing: the same failure, not logged again").isEqualTo(r);
        assertThat(errors()).hasSize(1);
    }

    @Test
    void atStartAKeyThatDoesNotBelongToTheCertificateIsAConfigurationError() throws Exception {
        Files.copy(fixture("ec-pkcs8.key"), key, StandardCopyOption.REPLACE_EXISTING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> listenerTls(cert, key))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("listeners[secure].tls.key: the key in '" + key + "' does not belong");
    }
}
