package io.switchboard.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** At most 10 lines per remote address per 10 s; the next window says how many were suppressed. */
class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @Test
    void linesPerAddressAreLimitedAndTheSuppressedCountIsReported() {
        Logger log = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
        ListAppender<ILoggingEvent> out = new ListAppender<>();
        out.start();
        log.addAppender(out);
        RateLimitedLog limited = new RateLimitedLog(clock);
        InetSocketAddress a = new InetSocketAddress("127.0.0.2", 40_000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.3", 40_000);
        for (int i = 0; i < 25; i++) {
            limited.info(log, a, "line {}", i);
        }
        limited.info(log, b, "other address");
        assertThat(messages(out)).hasSize(RateLimitedLog.LINES_PER_WINDOW + 1).contains("other address")
                .doesNotContain("line 10");

        now.addAndGet(RateLimitedLog.WINDOW_MILLIS);
        limited.info(log, a, "line {}", 25);
        List<String> later = messages(out).subList(RateLimitedLog.LINES_PER_WINDOW + 1, messages(out).size());
        assertThat(later).containsExactly(
                "15 more lines about connections from 127.0.0.2 were suppressed in the last 10 s", "line 25");
        log.detachAppender(out);
    }

    private static List<String> messages(ListAppender<ILoggingEvent> out) {
        return out.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
