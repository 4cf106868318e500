package io.switchboard.broker.config;

import java.util.List;

/**
 * The whole broker configuration: immutable, validated when built. Absent keys take their defaults;
 * see docs/configuration.md for every key.
 *
 * @param listeners the MQTT listeners; default one on 127.0.0.1:1883
 * @param mqtt protocol limits and features
 * @param sessions sessions and queues
 * @param eventLoopThreads threads serving connections; 0 means one per core (default)
 * @param sys the broker's own topics ($SYS statistics and client events)
 * @param storage where state is kept; default RocksDB in ./data with durability sync
 * @param rpc the broker's help with request/response
 * @param security authentication and authorization from a policy file; default none (everyone may
 *     connect and do everything)
 * @param http the HTTP listener of metrics, health checks, the admin API and the console (module
 *     {@code admin}); default none
 * @param rules the rules engine (module {@code rules}); default none
 */
public record BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
        Integer eventLoopThreads, SysConfig sys, StorageConfig storage, RpcConfig rpc, SecurityConfig security,
        HttpConfig http, RulesConfig rules) {

    public BrokerConfig {
        listeners = listeners == null || listeners.isEmpty() ? List.of(ListenerConfig.defaults())
                : List.copyOf(listeners);
        mqtt = mqtt == null ? MqttConfig.defaults() : mqtt;
        sessions = sessions == null ? SessionConfig.defaults() : sessions;
        sys = sys == null ? SysConfig.defaults() : sys;
        storage = storage == null ? StorageConfig.defaults() : storage;
        rpc = rpc == null ? RpcConfig.defaults() : rpc;
        security = security == null ? SecurityConfig.defaults() : security;
        http = http == null ? HttpConfig.off() : http;
        rules = rules == null ? RulesConfig.defaults() : rules;
        eventLoopThreads = Check.range("eventLoopThreads", eventLoopThreads, 0, 0, 1024);
        long names = listeners.stream().map(ListenerConfig::name).distinct().count();
        if (names != listeners.size()) {
            throw new ConfigException("listener names must be unique: "
                    + listeners.stream().map(ListenerConfig::name).toList());
        }
    }

    /** Without a {@code sys} section: its defaults. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads) {
        this(listeners, mqtt, sessions, eventLoopThreads, null, null);
    }

    /** Without a {@code storage} section: its defaults. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads, SysConfig sys) {
        this(listeners, mqtt, sessions, eventLoopThreads, sys, null);
    }

    /** Without an {@code rpc} section: its defaults. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads, SysConfig sys, StorageConfig storage) {
        this(listeners, mqtt, sessions, eventLoopThreads, sys, storage, null);
    }

    /** Without a {@code rules} section: no rules. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads, SysConfig sys, StorageConfig storage, RpcConfig rpc, SecurityConfig security,
            HttpConfig http) {
        this(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, http, null);
    }

    /** Without an {@code http} section: no HTTP listener. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads, SysConfig sys, StorageConfig storage, RpcConfig rpc, SecurityConfig security) {
        this(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, null);
    }

    /** Without a {@code security} section: no policy. */
    public BrokerConfig(List<ListenerConfig> listeners, MqttConfig mqtt, SessionConfig sessions,
            Integer eventLoopThreads, SysConfig sys, StorageConfig storage, RpcConfig rpc) {
        this(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, null);
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy whose first listener binds another host and/or port (null keeps the current value). */
    public BrokerConfig withDefaultListener(String host, Integer port) {
        ListenerConfig first = listeners.get(0);
        if (host != null) {
            first = first.withHost(host);
        }
        if (port != null) {
            first = first.withPort(port);
        }
        List<ListenerConfig> all = new java.util.ArrayList<>(listeners);
        all.set(0, first);
        return new BrokerConfig(all, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, http, rules);
    }

    public BrokerConfig withMqtt(MqttConfig m) {
        return new BrokerConfig(listeners, m, sessions, eventLoopThreads, sys, storage, rpc, security, http, rules);
    }

    public BrokerConfig withSessions(SessionConfig s) {
        return new BrokerConfig(listeners, mqtt, s, eventLoopThreads, sys, storage, rpc, security, http, rules);
    }

    public BrokerConfig withSys(SysConfig s) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, s, storage, rpc, security, http, rules);
    }

    public BrokerConfig withStorage(StorageConfig s) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, sys, s, rpc, security, http, rules);
    }

    public BrokerConfig withRpc(RpcConfig r) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, sys, storage, r, security, http, rules);
    }

    public BrokerConfig withRules(RulesConfig r) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, http, r);
    }

    public BrokerConfig withHttp(HttpConfig h) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, h, rules);
    }

    /** A copy with one more listener. */
    public BrokerConfig withListener(ListenerConfig l) {
        List<ListenerConfig> all = new java.util.ArrayList<>(listeners);
        all.add(l);
        return new BrokerConfig(all, mqtt, sessions, eventLoopThreads, sys, storage, rpc, security, http, rules);
    }

    public BrokerConfig withSecurity(SecurityConfig s) {
        return new BrokerConfig(listeners, mqtt, sessions, eventLoopThreads, sys, storage, rpc, s, http, rules);
    }
}
