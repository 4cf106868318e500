package io.switchboard.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.broker.metrics.BrokerMetrics.Denial;
import io.switchboard.security.WireClient.Endpoint;
import io.switchboard.security.WireClient.Library;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of denials end to end: the lines on logger {@code io.switchboard.audit}
 * (captured with a Logback ListAppender) for a denied PUBLISH, SUBSCRIBE filter and CONNECT, each
 * naming the client, its authentication name, the action, the topic or filter, the reason code and
 * the rule; the per-client limit ({@code auditLinesPerMinute: 3}) over a minute of the broker's
 * clock, which the test moves by hand, with the count held back given on the next line; and the
 * counters of {@code BrokerMetrics.denials()}, which are never held back.
 */
class AuditTest {
    static final String PAT = "pat's s3cret";
    static final String POLICY = """
            clients:
              - {authenticationName: sensor-1, attributes: {type: sensor}}
              - {authenticationName: sensor-2, attributes: {type: sensor}}
              - {authenticationName: pat, attributes: {type: sensor}, passwordHash: '%s'}
            clientGroups:
              - {name: sensors, query: 'attributes.type = "sensor"'}
            topicSpaces:
              - {name: own, topicTemplates: ['sensors/${client.authenticationName}/#']}
            permissionBindings:
              - {name: ownPub, clientGroupName: sensors, topicSpaceName: own, permission: publisher}
              - {name: ownSub, clientGroupName: sensors, topicSpaceName: own, permission: subscriber}
            """.formatted(PasswordHash.pbkdf2(PAT.getBytes(UTF_8), "pat-salt-0123456".getBytes(UTF_8), 1000));
    static final String PUBLISH_RULE = "rule=\"default deny: no permission binding of groups [$all, sensors] grants"
            + " publish on it (publisher topic templates resolved for it: [sensors/sensor-1/#])\"";

    /** The broker's clock: still unless the test moves it. */
    static final MovableClock CLOCK = MovableClock.standingAt(Instant.parse("2030-01-01T00:00:00Z"));
    static final SecureBroker SECURE = new SecureBroker(POLICY, "auditLinesPerMinute: 3");
    @RegisterExtension
    static final EmbeddedBroker BROKER = SECURE.broker.with(b -> b.clock(CLOCK));

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("io.switchboard.audit");
    private final List<WireClient> open = new ArrayList<>();

    @BeforeEach
    void captureTheAuditLog() {
        audit.start();
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void release() throws Exception {
        auditLogger.detachAppender(audit);
        for (WireClient c : open) {
            c.close();
        }
    }

    /** The audit lines about {@code clientId} so far. The broker logs a denial before it answers it. */
    List<String> lines(String clientId) {
        synchronized (audit) { // AppenderBase.doAppend holds this lock: the lines appended are all seen
            assertThat(audit.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
            return audit.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("denied client=" + clientId + " ")).toList();
        }
    }

    WireClient client(int version, String clientId, Endpoint e) throws Exception {
        WireClient c = WireClient.create(Library.HIVEMQ, version, clientId, e);
        open.add(c);
        return c;
    }

    WireClient sensor(String name, String clientId) throws Exception {
        WireClient c = client(5, clientId, Endpoint.tls(SECURE, "tls", SECURE.certificate(name)));
        assertThat(c.connect().code()).isZero();
        return c;
    }

    @Test
    void eachDenialIsOneLineNamingTheClientTheActionTheTopicTheReasonCodeAndTheRule() throws Exception {
        WireClient sensor1 = sensor("sensor-1", "audit-lines");
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        assertThat(sensor1.subscribe(1, "sensors/sensor-1/#", "sensors/+/data")).containsExactly(1, 0x87);
        assertThat(lines("audit-lines")).containsExactly(
                "denied client=audit-lines authenticationName=sensor-1 action=publish topic=sensors/sensor-2/data"
                        + " reasonCode=0x87 " + PUBLISH_RULE,
                "denied client=audit-lines authenticationName=sensor-1 action=subscribe topic=sensors/+/data"
                        + " reasonCode=0x87 rule=\"default deny: no permission binding of groups [$all, sensors] grants"
                        + " subscribe on it (subscriber topic templates resolved for it: [sensors/sensor-1/#,"
                        + " $reply/audit-lines/#])\"");

        // CONNECT: an unknown certificate, a bad password (0x86; the same in 3.1.1, where the wire says 4).
        assertThat(client(5, "audit-stranger", Endpoint.tls(SECURE, "tls", SECURE.certificate("stranger"))).connect()
                .code()).isEqualTo(0x87);
        assertThat(lines("audit-stranger")).containsExactly("denied client=audit-stranger authenticationName=stranger"
                + " action=connect reasonCode=0x87 rule=\"'stranger' is not a registered client, and no client rule"
                + " matches its certificate\"");
        assertThat(client(5, "audit-pat", Endpoint.tcp(SECURE).login("pat", "wrong")).connect().code()).isEqualTo(0x86);
        assertThat(client(3, "audit-pat-311", Endpoint.tcp(SECURE).login("pat", "wrong")).connect().code()).isEqualTo(4);
        assertThat(lines("audit-pat")).containsExactly("denied client=audit-pat authenticationName=pat action=connect"
                + " reasonCode=0x86 rule=\"bad user name or password\"");
        assertThat(lines("audit-pat-311")).containsExactly("denied client=audit-pat-311 authenticationName=pat"
                + " action=connect reasonCode=0x86 rule=\"bad user name or password\"");
        // A client id taken by a live session of another authentication name.
        assertThat(client(5, "audit-lines", Endpoint.tls(SECURE, "tls", SECURE.certificate("sensor-2"))).connect()
                .code()).isEqualTo(0x87);
        assertThat(lines("audit-lines")).hasSize(3).last().isEqualTo("denied client=audit-lines"
                + " authenticationName=sensor-2 action=connect reasonCode=0x87 rule=\"client id 'audit-lines' is"
                + " connected under another authentication name\"");
    }

    @Test
    void countersCountEveryDenialByActionAndReasonCodeEvenWhenLinesAreHeldBack() throws Exception {
        Map<Denial, Long> before = BROKER.broker().metrics().denials();
        WireClient sensor1 = sensor("sensor-1", "audit-count");
        for (int i = 0; i < 4; i++) {
            assertThat(sensor1.publish("sensors/sensor-2/data", "forged " + i, 1)).isEqualTo(0x87);
        }
        assertThat(sensor1.subscribe(1, "sensors/#", "sensors/sensor-2/#")).containsExactly(0x87, 0x87);
        client(5, "audit-count-stranger", Endpoint.tls(SECURE, "tls", SECURE.certificate("stranger"))).connect();
        client(5, "audit-count-pat", Endpoint.tcp(SECURE).login("pat", "wrong")).connect();

        assertThat(delta(before, BROKER.broker().metrics().denials())).containsExactlyInAnyOrderEntriesOf(Map.of(
                new Denial("publish", 0x87), 4L, new Denial("subscribe", 0x87), 2L,
                new Denial("connect", 0x87), 1L, new Denial("connect", 0x86), 1L));
        // Three lines in the minute for audit-count, the other three denials held back.
        assertThat(lines("audit-count")).hasSize(3).allSatisfy(l -> assertThat(l).contains("action=publish"));
    }

    private static Map<Denial, Long> delta(Map<Denial, Long> before, Map<Denial, Long> after) {
        Map<Denial, Long> d = new HashMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }

    @Test
    void beyondTheLinesPerMinuteDenialsAreHeldBackAndCountedOnTheNextLineAfterTheMinute() throws Exception {
        WireClient sensor1 = sensor("sensor-1", "audit-flood");
        for (int i = 0; i < 5; i++) {
            assertThat(sensor1.publish("sensors/sensor-2/data", "forged " + i, 1)).isEqualTo(0x87);
        }
        assertThat(lines("audit-flood")).hasSize(3).noneMatch(l -> l.contains("suppressedBefore"));
        // The limit is per client: another one in the same minute has its own lines.
        WireClient other = sensor("sensor-1", "audit-flood-other");
        assertThat(other.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        assertThat(lines("audit-flood-other")).hasSize(1);

        // Still within the minute: held back.
        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged 5", 1)).isEqualTo(0x87);
        assertThat(lines("audit-flood")).hasSize(3);
        // A minute after the first line: the next line gives the count held back, the one after does not.
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged 6", 1)).isEqualTo(0x87);
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged 7", 1)).isEqualTo(0x87);
        assertThat(lines("audit-flood")).hasSize(5).endsWith(
                "denied client=audit-flood authenticationName=sensor-1 action=publish topic=sensors/sensor-2/data"
                        + " reasonCode=0x87 " + PUBLISH_RULE + " suppressedBefore=3",
                "denied client=audit-flood authenticationName=sensor-1 action=publish topic=sensors/sensor-2/data"
                        + " reasonCode=0x87 " + PUBLISH_RULE);
    }

    @Test
    void aClientRetryingARefusedConnectIsHeldToTheLimitToo() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(client(5, "audit-retry", Endpoint.tls(SECURE, "tls", SECURE.certificate("stranger"))).connect()
                    .code()).isEqualTo(0x87);
        }
        assertThat(lines("audit-retry")).hasSize(3);
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(client(5, "audit-retry", Endpoint.tls(SECURE, "tls", SECURE.certificate("stranger"))).connect()
                .code()).isEqualTo(0x87);
        assertThat(lines("audit-retry")).hasSize(4).last().asString().endsWith(" suppressedBefore=2");
    }

    @Test
    void anMqtt311ClientReconnectingAfterEachDeniedPublishIsHeldToTheLimitToo() throws Exception {
        for (int i = 0; i < 5; i++) {
            WireClient c = client(3, "audit-retry-311", Endpoint.tls(SECURE, "tls", SECURE.certificate("sensor-1")));
            assertThat(c.connect().code()).isZero();
            try {
                c.publish("sensors/sensor-2/data", "forged " + i, 1);
            } catch (Exception closed) {
                // deniedPublishV311: disconnect (the default)
            }
            c.closedByBroker().get(WireClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(lines("audit-retry-311")).hasSize(3);
    }

    @Test
    void aRefusedTakeoverDoesNotGiveTheLiveClientAFreshBudget() throws Exception {
        WireClient sensor1 = sensor("sensor-1", "audit-live");
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        // The third line of the minute: sensor-2 refused the client id.
        long closed = BROKER.broker().metrics().connectionsClosed.sum();
        WireClient refused = client(5, "audit-live", Endpoint.tls(SECURE, "tls", SECURE.certificate("sensor-2")));
        assertThat(refused.connect().code()).isEqualTo(0x87);
        assertThat(lines("audit-live")).hasSize(3);
        await().until(() -> BROKER.broker().metrics().connectionsClosed.sum() > closed);
        // The refused connection has closed: still the same minute, the live client's next denial held back.
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        assertThat(lines("audit-live")).hasSize(3);
    }
}
