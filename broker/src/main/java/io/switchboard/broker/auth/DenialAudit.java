package io.switchboard.broker.auth;

import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.ReasonCode;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of denials: one log line (logger {@code io.switchboard.audit}) per refused
 * CONNECT, PUBLISH, SUBSCRIBE filter or delivery, naming the client, its authentication name, the
 * action, the topic or filter, the reason code and the rule that decided; and a counter per action
 * and reason code ({@link BrokerMetrics#denials}). Lines are rate-limited per client ({@code
 * security.auditLinesPerMinute}) so that a client retrying in a loop cannot flood the log: the lines
 * held back are counted and the count is given with the client's next line. A client's budget
 * outlives its connections (a client refused at CONNECT, or a 3.1.1 client disconnected for each
 * denied PUBLISH, retries on a new connection each time): it goes when its minute is over and it
 * holds nothing back. Counters are never held back. Any thread.
 */
public final class DenialAudit {
    private static final Logger AUDIT = LoggerFactory.getLogger("io.switchboard.audit");
    /** Budgets are swept when there are this many (and at twice what stayed after a sweep). */
    static final int SWEEP_AT = 1024;

    private final Authorizer authorizer;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final int linesPerMinute;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
    /** The number of budgets at which those no longer needed are swept out (doubling with what stays). */
    private volatile int sweepAt = SWEEP_AT;
    private final AtomicBoolean sweeping = new AtomicBoolean();

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

    /**
     * The client's connection closed: its budget goes unless its minute is still running or it holds
     * lines back, so that reconnecting does not give a client a fresh minute of lines.
     */
    public void forget(String clientId) {
        long now = clock.millis();
        budgets.computeIfPresent(clientId, (k, b) -> b.idle(now) ? null : b);
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
        long now = clock.millis();
        if (budgets.size() >= sweepAt) {
            sweep(now);
        }
        long[] taken = new long[1];
        // Taken inside compute, so that a sweep or forget cannot drop the budget while it is used.
        budgets.compute(clientId, (k, b) -> {
            Budget budget = b == null ? new Budget() : b;
            taken[0] = budget.take(now, linesPerMinute);
            return budget;
        });
        return taken[0];
    }

    /**
     * Drops the budgets of clients whose minute is over and that hold nothing back. One thread at a
     * time; another that finds a sweep running goes on without waiting (an event loop never waits).
     */
    private void sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            for (String clientId : budgets.keySet()) {
                budgets.computeIfPresent(clientId, (k, b) -> b.idle(now) ? null : b);
            }
            sweepAt = Math.max(SWEEP_AT, 2 * budgets.size());
        } finally {
            sweeping.set(false);
        }
    }

    /** How many clients have a budget now. */
    int budgets() {
        return budgets.size();
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

        /** Its minute is over and it holds no lines back: nothing is lost when it goes. */
        synchronized boolean idle(long now) {
            return now - windowStart >= 60_000 && suppressed == 0;
        }
    }
}
