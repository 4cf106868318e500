package io.switchboard.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.ReasonCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit's per-client budget of lines over a clock the test moves: lines held back and counted
 * on the next line; a budget that outlives the connection while its minute runs or while it holds
 * lines back, so that a client reconnecting after each refusal gets no fresh minute; and budgets
 * no longer needed swept out, so that memory stays bounded.
 */
class DenialAuditTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final DenialAudit audit = new DenialAudit(Authorizer.ALLOW_ALL, metrics, clock, 3);
    private final Logger log = (Logger) LoggerFactory.getLogger("io.switchboard.audit");
    private final ListAppender<ILoggingEvent> out = new ListAppender<>();

    @BeforeEach
    void capture() {
        out.start();
        log.addAppender(out);
    }

    @AfterEach
    void release() {
        log.detachAppender(out);
    }

    private List<String> lines(String clientId) {
        return out.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("denied client=" + clientId + " ")).toList();
    }

    private void refuse(String clientId) {
        audit.refused(clientId, "name", "connect", ReasonCode.NOT_AUTHORIZED, "not registered");
    }

    @Test
    void beyondTheLimitLinesAreHeldBackAndTheNextLineAfterTheMinuteCountsThem() {
        for (int i = 0; i < 5; i++) {
            refuse("c1");
        }
        refuse("c2");
        assertThat(lines("c1")).containsExactly(
                "denied client=c1 authenticationName=name action=connect reasonCode=0x87 rule=\"not registered\"",
                "denied client=c1 authenticationName=name action=connect reasonCode=0x87 rule=\"not registered\"",
                "denied client=c1 authenticationName=name action=connect reasonCode=0x87 rule=\"not registered\"");
        assertThat(lines("c2")).hasSize(1);
        now.addAndGet(59_999);
        refuse("c1");
        assertThat(lines("c1")).hasSize(3);
        now.addAndGet(1);
        refuse("c1");
        refuse("c1");
        assertThat(lines("c1")).hasSize(5).endsWith(
                "denied client=c1 authenticationName=name action=connect reasonCode=0x87 rule=\"not registered\""
                        + " suppressedBefore=3",
                "denied client=c1 authenticationName=name action=connect reasonCode=0x87 rule=\"not registered\"");
        // Counters are never held back.
        assertThat(metrics.denials()).isEqualTo(Map.of(new BrokerMetrics.Denial("connect", 0x87), 9L));
    }

    @Test
    void aClosedConnectionDoesNotGiveItsClientAFreshMinute() {
        for (int i = 0; i < 3; i++) {
            refuse("retry");
            audit.forget("retry"); // each refused CONNECT closes its connection
        }
        refuse("retry");
        audit.forget("retry");
        assertThat(lines("retry")).hasSize(3);
        // The minute is over but a line is held back: the budget stays until the client's next line.
        now.addAndGet(60_000);
        audit.forget("retry");
        refuse("retry");
        assertThat(lines("retry")).hasSize(4).last().asString().endsWith(" suppressedBefore=1");
        // A minute later with nothing held back, the budget goes with the connection.
        now.addAndGet(60_000);
        audit.forget("retry");
        assertThat(audit.budgets()).isZero();
    }

    @Test
    void budgetsNoLongerNeededAreSweptOut() {
        for (int i = 0; i < 4; i++) {
            refuse("flooder"); // one line held back
        }
        for (int i = 0; i < DenialAudit.SWEEP_AT - 1; i++) {
            refuse("client-" + i); // each keeps its budget: its minute runs
        }
        assertThat(audit.budgets()).isEqualTo(DenialAudit.SWEEP_AT);
        now.addAndGet(60_000);
        refuse("newcomer");
        // Swept: the budgets whose minute is over, but not the one holding a line back.
        assertThat(audit.budgets()).isEqualTo(2);
        refuse("flooder");
        assertThat(lines("flooder")).hasSize(4).last().asString().endsWith(" suppressedBefore=1");
    }

    @Test
    void withNoLinesPerMinuteNothingIsLoggedAndEverythingCounted() {
        DenialAudit silent = new DenialAudit(Authorizer.ALLOW_ALL, metrics, clock, 0);
        silent.refused("quiet", "name", "connect", ReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        assertThat(lines("quiet")).isEmpty();
        assertThat(metrics.denials()).isEqualTo(Map.of(new BrokerMetrics.Denial("connect", 0x86), 1L));
    }
}
