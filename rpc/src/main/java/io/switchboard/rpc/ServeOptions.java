package io.switchboard.rpc;

/**
 * How a service subscribes and runs its handler: a shared-subscription group (responder pools),
 * the subscription's QoS, how many requests run at once, and an optional cache that answers a
 * redelivered request from its first reply instead of running it twice. Immutable.
 */
public final class ServeOptions {
    private static final ServeOptions DEFAULTS = new ServeOptions(null, 1, 8, 0);

    private final String group;
    private final int qos;
    private final int concurrency;
    private final int duplicateCacheSize;

    private ServeOptions(String group, int qos, int concurrency, int duplicateCacheSize) {
        this.group = group;
        this.qos = qos;
        this.concurrency = concurrency;
        this.duplicateCacheSize = duplicateCacheSize;
    }

    /** No group, QoS 1, 8 requests at once, no duplicate cache. */
    public static ServeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Subscribes as {@code $share/<group>/<filter>}: the broker gives each request to one member of
     * the group, so several responders form a pool. The group name may not contain '/', '+' or '#'.
     */
    public ServeOptions withGroup(String group) {
        if (group != null && (group.isEmpty() || group.contains("/") || group.contains("+") || group.contains("#"))) {
            throw new IllegalArgumentException("group '" + group + "': must be non-empty, without '/', '+' or '#'");
        }
        return new ServeOptions(group, qos, concurrency, duplicateCacheSize);
    }

    /** The subscription's maximum QoS, 0, 1 or 2. */
    public ServeOptions withQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos + ": allowed 0, 1 or 2");
        }
        return new ServeOptions(group, qos, concurrency, duplicateCacheSize);
    }

    /** How many requests the handler runs at once (its worker threads), at least 1. */
    public ServeOptions withConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency " + concurrency + ": at least 1");
        }
        return new ServeOptions(group, qos, concurrency, duplicateCacheSize);
    }

    /**
     * Remembers the replies to the last {@code size} requests, keyed by Response Topic and
     * Correlation Data: a request seen again (a QoS 1 redelivery) gets the same reply and is not run
     * again. 0 (the default) turns it off.
     */
    public ServeOptions withDuplicateCache(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("duplicate cache size " + size + ": 0 (off) or more");
        }
        return new ServeOptions(group, qos, concurrency, size);
    }

    /** The shared-subscription group, or null. */
    public String group() {
        return group;
    }

    public int qos() {
        return qos;
    }

    public int concurrency() {
        return concurrency;
    }

    public int duplicateCacheSize() {
        return duplicateCacheSize;
    }
}
