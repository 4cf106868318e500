package io.switchboard.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void emptyFileGivesDefaults() {
        BrokerConfig c = ConfigLoader.parse("", "test.yaml");
        assertThat(c.listeners()).containsExactly(ListenerConfig.tcp("default", "127.0.0.1", 1883));
        assertThat(c.mqtt().maxQos()).isEqualTo(2);
        assertThat(c.sessions().maxQueuedMessages()).isEqualTo(1000);
    }

    @Test
    void readsEveryKindOfKey() {
        BrokerConfig c = ConfigLoader.parse("""
                listeners:
                  - name: tcp
                    host: 0.0.0.0
                    port: 1884
                mqtt:
                  maxQos: 1
                  retainAvailable: false
                  maxPacketSize: 4096
                sessions:
                  maxQueuedMessages: 10
                  queueQos0: true
                eventLoopThreads: 3
                """, "test.yaml");
        assertThat(c.listeners()).containsExactly(ListenerConfig.tcp("tcp", "0.0.0.0", 1884));
        assertThat(c.mqtt().maxQos()).isEqualTo(1);
        assertThat(c.mqtt().retainAvailable()).isFalse();
        assertThat(c.mqtt().maxPacketSize()).isEqualTo(4096);
        assertThat(c.sessions().maxQueuedMessages()).isEqualTo(10);
        assertThat(c.sessions().queueQos0()).isTrue();
        assertThat(c.eventLoopThreads()).isEqualTo(3);
    }

    @Test
    void unknownKeyIsNamedWithTheAllowedOnes() {
        assertThatThrownBy(() -> ConfigLoader.parse("mqtt:\n  maxQoss: 1\n", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'mqtt.maxQoss'")
                .hasMessageContaining("maxQos");
    }

    @Test
    void outOfRangeValueNamesKeyValueAndRange() {
        assertThatThrownBy(() -> ConfigLoader.parse("mqtt:\n  maxQos: 3\n", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt.maxQos").hasMessageContaining("'3'").hasMessageContaining("0..2");
    }

    @Test
    void wrongTypeNamesKeyAndExpectedType() {
        assertThatThrownBy(() -> ConfigLoader.parse("listeners:\n  - port: abc\n", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[0].port").hasMessageContaining("abc")
                .hasMessageContaining("whole number");
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThatThrownBy(() -> ConfigLoader.parse("mqtt:\n  maxQos: 1: 2\n", "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line");
    }

    @Test
    void duplicateListenerNamesAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("listeners:\n  - port: 1\n  - port: 2\n", "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unique");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(java.nio.file.Path.of("/nonexistent/sb.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/sb.yaml");
    }
}
