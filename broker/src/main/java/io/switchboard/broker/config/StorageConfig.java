package io.switchboard.broker.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Where sessions, queued messages and retained messages are kept. {@code storage: memory} is short
 * for {@code storage: {type: memory}}.
 *
 * @param type {@code rocksdb} (default: an embedded RocksDB in {@code dataDir}) or {@code memory}
 *     (nothing survives a restart)
 * @param dataDir the RocksDB data directory, created on first start; default {@code ./data}
 * @param durability when a write counts as done, and so when PUBACK, PUBREC, PUBCOMP, SUBACK and
 *     UNSUBACK go: {@code sync} (default: on disk, fsync shared by all writes waiting together),
 *     {@code periodic} (written to the operating system at once, fsync every
 *     {@code fsyncIntervalMillis}) or {@code none} (acknowledged at once, written in the background)
 * @param fsyncIntervalMillis the fsync period of {@code periodic}; default 100
 * @param cleanupIntervalSeconds how often expired retained messages and expired queued messages
 *     of offline sessions are removed in the background; default 60
 */
public record StorageConfig(String type, String dataDir, String durability, Integer fsyncIntervalMillis,
        Integer cleanupIntervalSeconds) {
    public static final List<String> TYPES = List.of("rocksdb", "memory");
    public static final List<String> DURABILITIES = List.of("sync", "periodic", "none");

    @JsonCreator
    public StorageConfig(@JsonProperty("type") String type, @JsonProperty("dataDir") String dataDir,
            @JsonProperty("durability") String durability, @JsonProperty("fsyncIntervalMillis") Integer fsyncIntervalMillis,
            @JsonProperty("cleanupIntervalSeconds") Integer cleanupIntervalSeconds) {
        this.type = type == null ? "rocksdb" : type;
        if (!TYPES.contains(this.type)) {
            throw ConfigException.badValue("storage.type", type, "one of " + TYPES);
        }
        this.dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
        this.durability = durability == null ? "sync" : durability;
        if (!DURABILITIES.contains(this.durability)) {
            throw ConfigException.badValue("storage.durability", durability, "one of " + DURABILITIES);
        }
        this.fsyncIntervalMillis = Check.range("storage.fsyncIntervalMillis", fsyncIntervalMillis, 100, 1, 60_000);
        this.cleanupIntervalSeconds = Check.range("storage.cleanupIntervalSeconds", cleanupIntervalSeconds, 60, 1,
                86_400);
    }

    /** {@code storage: memory} or {@code storage: rocksdb}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static StorageConfig ofType(String type) {
        return new StorageConfig(type, null, null, null, null);
    }

    public static StorageConfig defaults() {
        return new StorageConfig(null, null, null, null, null);
    }

    public static StorageConfig memory() {
        return ofType("memory");
    }

    /** RocksDB in {@code dataDir} with the given durability. */
    public static StorageConfig rocksdb(String dataDir, String durability) {
        return new StorageConfig("rocksdb", dataDir, durability, null, null);
    }
}
