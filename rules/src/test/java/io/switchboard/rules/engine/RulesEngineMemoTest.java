package io.switchboard.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.protocol.PublishTap;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The rules a connection's last topic matched are kept in its memo: the same topic again finds the
 * same rules, another topic is matched anew, and a rule set put in force since is never answered
 * from a memo of the one before.
 */
class RulesEngineMemoTest {
    private final List<String> republished = new CopyOnWriteArrayList<>();
    private final RulesEngine engine = new RulesEngine(m -> {
        republished.add(m.topic());
        return CompletableFuture.completedFuture(1);
    }, Clock.systemUTC());

    @Test
    void theMemoAnswersTheSameTopicAndNeverOutlivesTheRuleSet() {
        put("rules:\n  - name: a\n    sql: SELECT * FROM 'a/+'\n    actions: [{republish: {topic: 'out/a'}}]\n");
        PublishTap.Memo memo = new PublishTap.Memo();
        engine.published(message("a/1"), "c", null, memo);
        engine.published(message("a/1"), "c", null, memo); // from the memo
        engine.published(message("b/1"), "c", null, memo); // another topic: no rule
        engine.published(message("a/2"), "c", null, memo);
        assertThat(republished).containsExactly("out/a", "out/a", "out/a");
        assertThat(engine.rule("a").counters().matched()).isEqualTo(3);

        put("rules:\n  - name: b\n    sql: SELECT * FROM 'a/#'\n    actions: [{republish: {topic: 'out/b'}}]\n"
                + "  - name: a\n    sql: SELECT * FROM 'a/+'\n    enabled: false\n    actions: [{republish: {topic: 'out/a'}}]\n");
        republished.clear();
        engine.published(message("a/2"), "c", null, memo); // the memo's topic, but the rule set changed
        assertThat(republished).containsExactly("out/b");
        assertThat(engine.rule("a").counters().matched()).isEqualTo(3);
        engine.close();
    }

    private void put(String yaml) {
        RulesFile.Read read = RulesFile.read(yaml, "test");
        assertThat(read.problems()).isEmpty();
        engine.replace(read.rules(), "test");
    }

    private static Message message(String topic) {
        return new Message(topic, 0, false, Payload.utf8("{}"), Properties.EMPTY, "c", 0);
    }
}
