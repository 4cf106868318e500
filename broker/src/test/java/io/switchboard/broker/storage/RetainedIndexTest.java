package io.switchboard.broker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.message.Message;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import org.junit.jupiter.api.Test;

class RetainedIndexTest {
    private final RetainedIndex store = new RetainedIndex();

    private static Message msg(String topic, long expiresAt) {
        return new Message(topic, 1, true, Payload.utf8(topic), Properties.EMPTY, "p", expiresAt);
    }

    private java.util.List<String> topics(String filter, long now) {
        return store.match(filter, now).stream().map(Message::topic).toList();
    }

    @Test
    void oneMessagePerTopicAndWildcardMatching() {
        store.put(msg("a", 0));
        store.put(msg("a/b", 0));
        store.put(msg("a/b", 0)); // [MQTT-3.3.1-5] replaces
        store.put(msg("a/c/d", 0));
        store.put(msg("$SYS/x", 0));
        assertThat(store.size()).isEqualTo(4);
        assertThat(topics("a/#", 0)).containsExactlyInAnyOrder("a", "a/b", "a/c/d");
        assertThat(topics("a/+", 0)).containsExactlyInAnyOrder("a/b");
        assertThat(topics("#", 0)).containsExactlyInAnyOrder("a", "a/b", "a/c/d"); // [MQTT-4.7.2-1]
        assertThat(topics("+/b", 0)).containsExactly("a/b");
        assertThat(topics("$SYS/#", 0)).containsExactly("$SYS/x");
    }

    @Test
    void removeDeletesAndPrunes() {
        store.put(msg("x/y/z", 0));
        store.remove("x/y/z");
        store.remove("never/there");
        assertThat(store.size()).isZero();
        assertThat(topics("#", 0)).isEmpty();
    }

    @Test
    void expiredMessagesAreNotReturnedAndTheSweepRemovesThem() {
        store.put(msg("e/1", 1000));
        store.put(msg("e/2", 0));
        store.put(msg("$x/e", 1000));
        assertThat(topics("e/#", 999)).containsExactlyInAnyOrder("e/1", "e/2");
        assertThat(topics("e/#", 1001)).containsExactly("e/2"); // [MQTT-3.3.2-5]
        assertThat(store.removeExpired(1001)).extracting(Message::topic).containsExactlyInAnyOrder("e/1", "$x/e");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.all()).extracting(Message::topic).containsExactly("e/2");
    }
}
