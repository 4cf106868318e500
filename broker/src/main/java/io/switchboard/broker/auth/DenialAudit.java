package io.switchboard.broker.auth;

import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.ReasonCode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of denials: one log line (logger {@code io.switchboard.audit}) per refused
 * CONNECT, PUBLISH, SUBSCRIBE filter or delivery, naming the client, its authentication name, the
 * action, the topic or filter, the reason code and the rule that decided; and a counter per action
 * and reason code ({@link BrokerMetrics#denials}). Lines are rate-limited per client ({@code
 * security.auditLinesPerMinute}) so that a client retrying in a loop cannot flood the log: the lines
 * held back are counted and the count is given with the client's next line. Counters are never
 * held back. Any thread.
 */
public final class DenialAudit {
    private static final Logger AUDIT = LoggerFactory.getLogger("io.switchboard.audit");

    private final Authorizer authorizer;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final int linesPerMinute;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();

    public DenialAudit(Authorizer authorizer, BrokerMetrics metrics, Clock clock, int linesPerMinute) {
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.clock = clock;
        this.linesPerMinute = linesPerMinute;
    }

    /** An authorizer denied {@code action} on {@code topic}: counted, and logged with the authorizer's rule. */
    public void denied(String clientId, ClientIdentity who, String action, String topic, ReasonCode code) {
        metrics.denied(action, code.value());
        long suppressed = take(clientId);
        if (suppressed < 0) {
            return;
        }
        String rule;
        try {
            rule = who == null ? "no identity" : authorizer.explain(who, action, topic);
        } catch (RuntimeException e) {
            rule = "(the authorizer could not explain: " + e + ")";
        }
        log(clientId, who == null ? null : who.authenticationName(), action, topic, code, rule, suppressed);
    }

    /** A CONNECT (or re-authentication, or a recheck after a policy change) was refused for {@code reason}. */
    public void refused(String clientId, String authenticationName, String action, ReasonCode code, String reason) {
        metrics.denied(action, code.value());
        long suppressed = take(clientId);
        if (suppressed >= 0) {
            log(clientId, authenticationName, action, null, code, reason, suppressed);
        }
    }

    /** The client's connection closed: its budget goes. */
    public void forget(String clientId) {
        budgets.remove(clientId);
    }

    private void log(String clientId, String name, String action, String topic, ReasonCode code, String rule,
            long suppressed) {
        AUDIT.warn("denied client={} authenticationName={} action={}{} reasonCode=0x{} rule=\"{}\"{}",
                LogText.escape(clientId), name == null ? "-" : LogText.escape(name), action,
                topic == null ? "" : " topic=" + LogText.escape(topic), String.format("%02X", code.value()),
                LogText.escape(rule), suppressed == 0 ? "" : " suppressedBefore=" + suppressed);
    }

    /** -1 when the client has used its lines for this minute, else the lines suppressed since its last one. */
    private long take(String clientId) {
        if (linesPerMinute == 0 || clientId == null) {
            return linesPerMinute == 0 ? -1 : 0;
        }
        return budgets.computeIfAbsent(clientId, k -> new Budget()).take(clock.millis(), linesPerMinute);
    }

    private static final class Budget {
        private long windowStart = Long.MIN_VALUE;
        private int used;
        private long suppressed;

        synchronized long take(long now, int perMinute) {
            if (now - windowStart >= 60_000 || windowStart == Long.MIN_VALUE) {
                windowStart = now;
                used = 0;
            }
            if (used >= perMinute) {
                suppressed++;
                return -1;
            }
            used++;
            long s = suppressed;
            suppressed = 0;
            return s;
        }
    }
}
