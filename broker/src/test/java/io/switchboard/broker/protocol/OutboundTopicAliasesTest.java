package io.switchboard.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The broker's topic aliases towards a client: least recently used, never above the maximum. */
class OutboundTopicAliasesTest {

    private static OutboundTopicAliases.Use use(int alias, boolean sendTopic) {
        return new OutboundTopicAliases.Use(alias, sendTopic);
    }

    @Test
    @DisplayName("A new topic takes alias 1 and is sent with its name; the same topic again is the alias alone"
            + " (section 3.3.2.3.4)")
    void newTopicThenAliasOnly() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        assertThat(a.use("sensors/1")).isEqualTo(use(1, true));
        assertThat(a.use("sensors/1")).isEqualTo(use(1, false));
        assertThat(a.use("sensors/2")).isEqualTo(use(2, true));
        assertThat(a.use("sensors/2")).isEqualTo(use(2, false));
        assertThat(a.use("sensors/1")).isEqualTo(use(1, false));
        assertThat(a.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("Full: a new topic takes the alias of the least recently used topic, sent with its name; never an"
            + " alias above the maximum [MQTT-3.1.2-26] [MQTT-3.3.2-11]")
    void leastRecentlyUsedAliasIsRemapped() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        a.use("t/aaa"); // 1
        a.use("t/bbb"); // 2
        a.use("t/aaa"); // 1 is now the most recently used
        assertThat(a.use("t/ccc")).as("takes t/bbb's alias").isEqualTo(use(2, true));
        assertThat(a.use("t/aaa")).isEqualTo(use(1, false));
        assertThat(a.use("t/bbb")).as("no longer mapped: takes t/ccc's alias").isEqualTo(use(2, true));
        assertThat(a.use("t/ccc")).as("takes t/aaa's alias").isEqualTo(use(1, true));
        assertThat(a.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("Maximum 1: every new topic remaps alias 1")
    void maximumOne() {
        OutboundTopicAliases a = new OutboundTopicAliases(1);
        assertThat(a.use("t/aaa")).isEqualTo(use(1, true));
        assertThat(a.use("t/bbb")).isEqualTo(use(1, true));
        assertThat(a.use("t/bbb")).isEqualTo(use(1, false));
        assertThat(a.use("t/aaa")).isEqualTo(use(1, true));
    }

    @Test
    @DisplayName("Topics shorter than 4 characters get no alias: it would not save a byte")
    void shortTopicsAreSentAsTheyAre() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        assertThat(a.use("a/b")).isNull();
        assertThat(a.use("a/b")).isNull();
        assertThat(a.use("a/bc")).isEqualTo(use(1, true));
        assertThat(a.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("A PUBLISH that would have taught the alias was not sent: the next one sends the topic name again")
    void notSentIsTaughtAgain() {
        OutboundTopicAliases a = new OutboundTopicAliases(2);
        assertThat(a.use("t/big")).isEqualTo(use(1, true));
        a.notSent("t/big");
        assertThat(a.use("t/big")).isEqualTo(use(1, true));
        assertThat(a.use("t/big")).isEqualTo(use(1, false));
        a.notSent("t/unknown"); // nothing to forget
        assertThat(a.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("Model check: a client that learns aliases as the specification says always resolves the topic"
            + " the broker meant, and never sees an alias above the maximum or one it was not taught")
    void aClientFollowingTheAliasesAlwaysResolvesTheRightTopic() {
        Random random = new Random(42);
        for (int maximum = 1; maximum <= 5; maximum++) {
            OutboundTopicAliases a = new OutboundTopicAliases(maximum);
            Map<Integer, String> client = new HashMap<>();
            for (int i = 0; i < 20_000; i++) {
                String topic = "topic/" + random.nextInt(3 * maximum);
                OutboundTopicAliases.Use u = a.use(topic);
                boolean sent = random.nextInt(50) != 0; // now and then too large for the client
                if (!sent) {
                    if (u.sendTopic()) {
                        a.notSent(topic);
                    }
                    continue;
                }
                assertThat(u.alias()).isBetween(1, maximum);
                if (u.sendTopic()) {
                    client.put(u.alias(), topic);
                }
                assertThat(client.get(u.alias())).as("use %d of %s", i, topic).isEqualTo(topic);
            }
        }
    }
}
