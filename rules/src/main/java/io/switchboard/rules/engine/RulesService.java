package io.switchboard.rules.engine;

import io.switchboard.broker.Broker;
import io.switchboard.broker.BrokerExtension;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.RulesConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a running broker ({@code rules.file}): read at start (a file that is not there yet is
 * no rules), checked for a change every {@code rules.reloadCheckSeconds} and put in force whole or
 * refused whole, changed through the admin API (which writes the file back, atomically, in the same
 * form), and shown every message clients publish ({@link Broker#tapPublishes}).
 */
public final class RulesService implements BrokerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);

    /** What a reload did. */
    public record Reload(boolean applied, String message) {
    }

    private final Broker broker;
    private final Path file;
    private final RulesEngine engine;
    private final ScheduledExecutorService watcher;
    /** The SHA-256 of the file's content in force (or written by the API); null before any. */
    private byte[] inForce;

    private RulesService(Broker broker, RulesConfig config) {
        this.broker = broker;
        this.file = Path.of(config.file());
        this.engine = new RulesEngine(m -> broker.publish(m), broker.clock());
        Reload first = reload();
        if (!first.applied()) {
            engine.close();
            throw new ConfigException(first.message());
        }
        broker.tapPublishes((m, clientId, who, memo) -> engine.published(m, clientId,
                who == null ? null : who.authenticationName(), memo));
        if (config.reloadCheckSeconds() > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sb-rules-watch");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::checkFile, config.reloadCheckSeconds(), config.reloadCheckSeconds(),
                    TimeUnit.SECONDS);
        } else {
            watcher = null;
        }
        LOG.info("Rules: {} from {}", engine.rules().size(), file.toAbsolutePath());
    }

    public RulesEngine engine() {
        return engine;
    }

    /** The rules file. */
    public Path file() {
        return file;
    }

    private void checkFile() {
        try {
            byte[] now = hash(read());
            if (!Arrays.equals(now, inForce)) {
                Reload r = reload();
                if (!r.applied()) {
                    LOG.error("Rules not reloaded, the ones in force stay: {}", r.message());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Rules: checking {} failed: {}", file, e.toString());
        }
    }

    /** Reads the file and puts its rules in force, or leaves the rules in force and says why. */
    public synchronized Reload reload() {
        byte[] bytes = read();
        List<RuleSpec> specs;
        try {
            RulesFile.Read read = RulesFile.read(new String(bytes, StandardCharsets.UTF_8), file.toString());
            specs = read.rules();
            engine.replace(specs, file.toString(), read.problems());
        } catch (RulesException e) {
            inForce = hash(bytes); // the same content is not tried again until it changes
            return new Reload(false, "rules not reloaded, the ones in force stay: " + e.getMessage());
        }
        inForce = hash(bytes);
        String msg = "rules loaded from " + file + ": " + specs.size() + " rules, "
                + specs.stream().filter(RuleSpec::enabled).count() + " enabled";
        LOG.info("{}", msg);
        return new Reload(true, msg);
    }

    /**
     * Puts a rule in force (new, or replacing the one of its name), the whole set checked first, and
     * writes the file. Returns whether it replaced one.
     *
     * @throws RulesException naming what is wrong; nothing changes
     */
    public synchronized boolean put(RuleSpec rule) {
        List<RuleSpec> specs = new ArrayList<>();
        boolean replaced = false;
        for (CompiledRule r : engine.rules()) {
            if (r.name().equals(rule.name())) {
                specs.add(rule);
                replaced = true;
            } else {
                specs.add(r.spec());
            }
        }
        if (!replaced) {
            specs.add(rule);
        }
        apply(specs);
        return replaced;
    }

    /** Deletes a rule and writes the file; false when there was none of that name. */
    public synchronized boolean delete(String name) {
        List<RuleSpec> specs = new ArrayList<>();
        boolean found = false;
        for (CompiledRule r : engine.rules()) {
            if (r.name().equals(name)) {
                found = true;
            } else {
                specs.add(r.spec());
            }
        }
        if (found) {
            apply(specs);
        }
        return found;
    }

    private void apply(List<RuleSpec> specs) {
        List<RuleSpec> before = engine.rules().stream().map(CompiledRule::spec).toList();
        engine.replace(specs, "rule");
        String text = RulesFile.write(specs);
        try {
            write(text);
        } catch (IOException e) {
            engine.replace(before, file.toString());
            throw new RulesException(List.of("the rules file " + file + " could not be written (" + e.getMessage()
                    + "): nothing changed"));
        }
        inForce = hash(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Written beside it and moved over it: a reader never sees half a file. */
    private void write(String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        try {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0]; // no file yet: no rules (the API creates it)
        } catch (IOException e) {
            throw new RulesException(List.of(file + ": cannot be read: " + e.getMessage()));
        }
    }

    private static byte[] hash(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        broker.tapPublishes(null);
        engine.close();
    }

    /** Found by the broker through ServiceLoader, when {@code rules.file} is configured. */
    public static final class Provider implements BrokerExtension.Provider {
        @Override
        public int order() {
            return 10;
        }

        @Override
        public BrokerExtension start(Broker broker) {
            return broker.config().rules().enabled() ? new RulesService(broker, broker.config().rules()) : null;
        }
    }
}
