package io.switchboard.broker.transport;

import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import io.switchboard.broker.transport.TlsReload.Outcome;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS, reloaded when its files change: the context that new handshakes use is replaced
 * whole (one volatile write), while open connections keep the engine they were made with and stay
 * up. New files that cannot be used leave the context in force, with one ERROR line naming the
 * listener, the file and the problem. With {@code tls.crl} and {@code tls.closeRevoked}, a reload
 * closes the open connections whose certificate the new CRLs revoke ({@link RevokedConnections}).
 *
 * <p>Threads: {@link #context()} and {@link #revocations()} from any thread (an event loop, for each
 * new connection); {@link #check()} and {@link #reload()} on the one TLS reload thread only, so that
 * two reloads never overlap.
 */
final class ListenerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);

    /** What is in force: the context and the stamps and hashes of the files it was built from. */
    private record Active(TlsContexts.Built built, TlsFiles.Contents files) {
    }

    private final String listener;
    private final TlsConfig tls;
    private final TlsFiles files;
    private final RevokedConnections revoked;
    private final Clock clock;
    private volatile Active active;
    /** The stamps of the last reading, whatever came of it: {@link #check()} reads again only when they change. */
    private List<TlsFiles.Stamp> lastSeen;
    /** Why the files on disk are not the ones in force, or null when they are. */
    private TlsReload lastFailure;
    /** The hashes of the files that failed, so that a periodic check does not log the same files again. */
    private Map<String, String> lastFailedHashes;

    /**
     * Builds the context from the files as they are now.
     *
     * @param channels the listener's open connections
     * @throws ConfigException naming the listener, the key, the file and the problem
     */
    ListenerTls(String listener, TlsConfig tls, ChannelGroup channels, Clock clock) {
        this.listener = listener;
        this.tls = tls;
        this.clock = clock;
        this.files = new TlsFiles(listener, tls);
        this.revoked = new RevokedConnections(channels, this::revocations);
        TlsFiles.Contents read = files.read();
        TlsContexts.Built built = TlsContexts.build(listener, tls, read, clock.instant());
        built.warnings().forEach(w -> LOG.warn("Listener '{}': {}", listener, w));
        this.active = new Active(built, read.withoutBytes());
        this.lastSeen = read.stamps();
    }

    /** The context for a new connection's handshake. Any thread. */
    SslContext context() {
        return active.built().context();
    }

    /** The CRLs in force, or null without {@code tls.crl}. Any thread. */
    Revocations revocations() {
        return active.built().revocations();
    }

    /** Seconds between two {@link #check()}s; 0 for none. */
    int checkSeconds() {
        return tls.reloadCheckSeconds();
    }

    /**
     * The periodic check: reloads when a file's size, time of change or inode changed since the last
     * reading and its content then differs. On the reload thread.
     */
    CompletableFuture<TlsReload> check() {
        if (files.stamps().equals(lastSeen)) {
            return CompletableFuture.completedFuture(lastFailure != null ? lastFailure
                    : new TlsReload(listener, Outcome.UNCHANGED, "", 0));
        }
        return load(true);
    }

    /**
     * Reads the files now and reloads if their content changed; asked for, so a failure is always
     * logged. On the reload thread.
     */
    CompletableFuture<TlsReload> reload() {
        return load(false);
    }

    private CompletableFuture<TlsReload> load(boolean periodic) {
        TlsFiles.Contents read;
        try {
            read = files.read();
        } catch (ConfigException e) {
            lastSeen = files.stamps();
            return CompletableFuture.completedFuture(failed(e.getMessage(), null, periodic));
        }
        lastSeen = read.stamps();
        Active before = active;
        List<String> changed = read.changedFrom(before.files());
        if (changed.isEmpty()) {
            lastFailure = null;
            lastFailedHashes = null;
            return CompletableFuture.completedFuture(new TlsReload(listener, Outcome.UNCHANGED, "", 0));
        }
        TlsContexts.Built built;
        try {
            built = TlsContexts.build(listener, tls, read, clock.instant());
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(failed(e.getMessage(), read.hashes(), periodic));
        }
        lastFailure = null;
        lastFailedHashes = null;
        active = new Active(built, read.withoutBytes());
        String detail = "reloaded " + changed.stream().map(k -> "tls." + k + " '" + files.file(k) + "'")
                .collect(Collectors.joining(", "));
        X509Certificate server = built.serverCertificate();
        LOG.info("Listener '{}': {}; new handshakes use them, open connections keep theirs (server certificate"
                + " '{}', valid until {})", listener, detail, server.getSubjectX500Principal().getName(),
                server.getNotAfter().toInstant());
        built.warnings().forEach(w -> LOG.warn("Listener '{}': {}", listener, w));
        if (built.revocations() == null || !tls.closeRevoked()
                || !(changed.contains("crl") || changed.contains("trustedCertificates"))) {
            return CompletableFuture.completedFuture(new TlsReload(listener, Outcome.RELOADED, detail, 0));
        }
        return revoked.close().thenApply(n -> {
            if (n > 0) {
                LOG.info("Listener '{}': closed {} connection{} whose client certificate tls.crl now revokes"
                        + " (tls.closeRevoked)", listener, n, n == 1 ? "" : "s");
            }
            return new TlsReload(listener, Outcome.RELOADED, detail, n);
        });
    }

    /** Logs a failure once: a periodic check of files that already failed with the same content logs nothing. */
    private TlsReload failed(String problem, Map<String, String> hashes, boolean periodic) {
        boolean again = periodic && hashes != null && hashes.equals(lastFailedHashes);
        lastFailedHashes = hashes;
        if (!again) {
            LOG.error("Listener '{}': TLS files not reloaded, those loaded before stay in use: {}", listener, problem);
        }
        lastFailure = new TlsReload(listener, Outcome.FAILED, problem, 0);
        return lastFailure;
    }
}
