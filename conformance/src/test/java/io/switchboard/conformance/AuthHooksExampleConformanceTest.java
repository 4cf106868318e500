package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.nextId;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribeForSuback;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.config.StorageConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the example of docs/extending.md ({@link AuthHooksExample}) as a user would, and checks that
 * every Java block of that page is code of the example, so the page shows compiled code.
 */
class AuthHooksExampleConformanceTest {
    static ExecutorService hashing;
    static AuthHooksExample.UserTopics topics;
    static Broker broker;

    @BeforeAll
    static void start() {
        hashing = Executors.newFixedThreadPool(2);
        AuthHooksExample.PasswordAuthenticator users = new AuthHooksExample.PasswordAuthenticator(hashing);
        users.addUser("alice", "wonderland");
        topics = new AuthHooksExample.UserTopics();
        broker = AuthHooksExample.start(new BrokerConfig(List.of(ListenerConfig.tcp("default", "127.0.0.1", 0)), null,
                null, 2).withStorage(StorageConfig.memory()), users, topics);
    }

    @AfterAll
    static void stop() {
        broker.close();
        hashing.shutdownNow();
    }

    static RawClient connect(MqttVersion v, String id, String user, String password) {
        return RawClient.connect(broker.port(), new ConnectPacket(v, true, 0, id, null, user,
                password == null ? null : password.getBytes(UTF_8), Properties.EMPTY));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("example: a known user with its password connects, and publishes and subscribes under its prefix only")
    void userWithinItsPrefix(MqttVersion v) {
        try (RawClient c = connect(v, "ex-alice-" + v, "alice", "wonderland")) {
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            SubackPacket ack = subscribeForSuback(c, Properties.EMPTY, new TopicSubscription("users/alice/#", 1),
                    new TopicSubscription("users/bob/#", 1));
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1,
                    v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR);
            assertThat(Conformance.publish(c, "users/alice/x", 1, nextId(), "mine")).isEqualTo(ReasonCode.SUCCESS);
            receive(c, "users/alice/x", "mine");
            if (v.isV5()) {
                assertThat(Conformance.publish(c, "users/bob/x", 1, nextId(), "not mine"))
                        .isEqualTo(ReasonCode.NOT_AUTHORIZED);
                c.expectNothingMore();
            } else {
                // 3.1.1 cannot refuse one PUBLISH: by default (security.deniedPublishV311) the client is disconnected.
                c.send(Conformance.publishPacket("users/bob/x", 1, false, nextId(), "not mine"));
                Conformance.expectClosedWithoutPacket(c);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("example: a wrong password or an unknown user gets 0x86 (3.1.1: return code 4)")
    void wrongPassword(MqttVersion v) {
        for (String[] credentials : new String[][] {{"alice", "looking-glass"}, {"mallory", "x"}}) {
            try (RawClient c = connect(v, "ex-bad-" + v, credentials[0], credentials[1])) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
                Conformance.expectClosedWithoutPacket(c);
            }
        }
    }

    @Test
    @DisplayName("example: a user barred from receiving gets nothing more, at once")
    void barredUser() {
        try (RawClient c = connect(MqttVersion.V5, "ex-barred", "alice", "wonderland")) {
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            Conformance.subscribe(c, "users/alice/#", 1);
            long dropped = broker.metrics().droppedNotAuthorized.sum();
            topics.barred.add("alice");
            Conformance.publish(c, "users/alice/x", 1, nextId(), "while barred");
            await().atMost(RawClient.TIMEOUT).until(() -> broker.metrics().droppedNotAuthorized.sum() == dropped + 1);
            topics.barred.remove("alice");
            Conformance.publish(c, "users/alice/x", 1, nextId(), "again");
            receive(c, "users/alice/x", "again");
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("every Java block of docs/extending.md is code of AuthHooksExample (the page shows compiled code)")
    void docShowsCompiledCode() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "extending.md"));
        String source = normalize(Files.readString(
                Path.of("src", "test", "java", "io", "switchboard", "conformance", "AuthHooksExample.java")));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("Java blocks in docs/extending.md").isNotEmpty();
        for (String block : blocks) {
            assertThat(source).as("docs/extending.md block:%n%s", block).contains(normalize(block));
        }
    }

    /** Lines trimmed and blank lines dropped: the page may indent the code less than the source. */
    private static String normalize(String code) {
        return String.join("\n", code.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
