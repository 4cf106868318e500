package io.switchboard.security;

import io.switchboard.broker.auth.AccessControl;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.BrokerAccess;
import io.switchboard.broker.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy file in force: the {@link RegistryAuthenticator} and {@link PolicyAuthorizer} over it,
 * and its reload. A reload (the file changed, SIGHUP, the admin API) reads and validates the whole
 * file; a valid policy replaces the old one at once (one reference: a client is decided by one
 * policy or the other, never a mix) and every connected client is decided again; an invalid one
 * is reported, naming the file and the problem, and the old one stays.
 */
public final class PolicyAccessControl implements AccessControl {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAccessControl.class);
    /** Password checks waiting beyond this are refused with 0x89 Server busy rather than queued for ever. */
    private static final int MAX_WAITING_PASSWORD_CHECKS = 10_000;

    private final Path file;
    private final int checkSeconds;
    private final ExecutorService hashing;
    private final RegistryAuthenticator authenticator;
    private final PolicyAuthorizer authorizer;
    private volatile Policy policy;
    private byte[] digest;
    private volatile BrokerAccess broker;
    private ScheduledExecutorService watcher;

    /**
     * Loads the policy file.
     *
     * @param checkSeconds how often the file is checked for a change; 0 for never
     * @throws ConfigException naming the file and the problem
     */
    public PolicyAccessControl(Path file, int checkSeconds, Clock clock) {
        this.file = file;
        this.checkSeconds = checkSeconds;
        byte[] text = read(file);
        try {
            this.policy = PolicyLoader.parse(new String(text, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("security.policy: " + e.getMessage());
        }
        this.digest = sha256(text);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.hashing = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING_PASSWORD_CHECKS), r -> {
                    Thread t = new Thread(r, "sb-password-check");
                    t.setDaemon(true);
                    return t;
                });
        this.authenticator = new RegistryAuthenticator(() -> policy, hashing);
        this.authorizer = new PolicyAuthorizer(() -> policy, clock);
        LOG.info("Security policy {}: {}", file, policy.describe());
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public Authorizer authorizer() {
        return authorizer;
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public void started(BrokerAccess b) {
        this.broker = b;
        authorizer.attach(b);
        if (checkSeconds > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sb-policy-watch");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, checkSeconds, checkSeconds, TimeUnit.SECONDS);
        }
    }

    private void reloadIfChanged() {
        try {
            byte[] text = Files.readAllBytes(file);
            synchronized (this) {
                if (Arrays.equals(sha256(text), digest)) {
                    return;
                }
            }
            LOG.info("Security policy {} changed: reloading", file);
            reload(text);
        } catch (IOException e) {
            LOG.warn("Security policy {} cannot be read ({}); the policy in force stays", file, e.toString());
        } catch (RuntimeException e) {
            LOG.error("Security policy {}: checking for a change failed", file, e);
        }
    }

    @Override
    public ReloadResult reload() {
        try {
            return reload(read(file));
        } catch (ConfigException e) {
            String message = "policy not reloaded, the one in force stays: " + e.getMessage();
            LOG.error("Security {}", message);
            return new ReloadResult(false, message);
        }
    }

    /** Puts the policy of {@code text} (the file's content, read once) in force, when it is valid. */
    private synchronized ReloadResult reload(byte[] text) {
        Policy next;
        try {
            next = PolicyLoader.parse(new String(text, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        } catch (ConfigException | IllegalArgumentException e) {
            String message = "policy not reloaded, the one in force stays: " + e.getMessage();
            LOG.error("Security {}", message);
            return new ReloadResult(false, message);
        }
        digest = sha256(text); // an invalid file is reported once, not at each check
        long started = System.nanoTime();
        Policy before = policy;
        policy = next;
        String summary = "policy reloaded from " + file + ": " + next.describe();
        BrokerAccess b = broker;
        if (b != null) {
            authenticator.rechecking(before);
            try {
                BrokerAccess.Reauthorization r = b.reauthorize().get(30, TimeUnit.SECONDS);
                summary += "; " + r.checked() + " connected clients decided again, " + r.disconnected()
                        + " disconnected, in " + (System.nanoTime() - started) / 1_000_000 + " ms";
            } catch (Exception e) {
                summary += "; deciding connected clients again did not finish: " + e;
            } finally {
                authenticator.rechecking(null);
            }
        }
        LOG.info("Security {}", summary);
        return new ReloadResult(true, summary);
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        hashing.shutdownNow();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("security.policy: cannot read '" + file + "': " + e);
        }
    }

    private static byte[] sha256(byte[] text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
