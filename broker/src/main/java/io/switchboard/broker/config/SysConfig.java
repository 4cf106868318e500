package io.switchboard.broker.config;

/**
 * The broker's own topics.
 *
 * @param interval seconds between two publications of the {@code $SYS/broker/...} statistics;
 *     0 turns them off; default 10
 * @param events whether client lifecycle events are published to
 *     {@code $SYS/events/clients/{client id}/connected} and {@code .../disconnected}; default true
 */
public record SysConfig(Integer interval, Boolean events) {
    public SysConfig {
        interval = Check.range("sys.interval", interval, 10, 0, 86_400);
        events = events == null || events;
    }

    public static SysConfig defaults() {
        return new SysConfig(null, null);
    }
}
