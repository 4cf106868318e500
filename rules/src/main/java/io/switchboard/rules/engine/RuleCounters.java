package io.switchboard.rules.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one rule did since it was loaded: messages its FROM matched, those that passed its WHERE
 * (and so ran its actions), failures by cause, and its actions' outcomes by kind. Updated from any
 * thread without contention; read by {@code /metrics} and the admin API.
 */
public final class RuleCounters {
    /** Failure causes of the statement itself. */
    public static final String PAYLOAD_NOT_JSON = "payload_not_json";
    public static final String PAYLOAD_NOT_OBJECT = "payload_not_object";
    public static final String RUNTIME_ERROR = "runtime_error";

    final LongAdder matched = new LongAdder();
    final LongAdder passed = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> actionsSucceeded = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> actionsFailed = new ConcurrentHashMap<>();
    final LongAdder errorActionFailed = new LongAdder();

    void failed(String cause) {
        failed.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }

    void actionSucceeded(String kind) {
        actionsSucceeded.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void actionFailed(String kind) {
        actionsFailed.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Messages its FROM matched (enabled rules only). */
    public long matched() {
        return matched.sum();
    }

    /** Messages that passed its WHERE and ran its actions. */
    public long passed() {
        return passed.sum();
    }

    /** Failures by cause: {@link #PAYLOAD_NOT_JSON}, {@link #PAYLOAD_NOT_OBJECT}, {@link #RUNTIME_ERROR}, or an action's kind. */
    public Map<String, Long> failed() {
        return sums(failed);
    }

    /** Action runs that succeeded, by action kind (republish, http, file). */
    public Map<String, Long> actionsSucceeded() {
        return sums(actionsSucceeded);
    }

    /** Action runs that failed for good, by action kind. */
    public Map<String, Long> actionsFailed() {
        return sums(actionsFailed);
    }

    /** Error records the error action itself could not take. */
    public long errorActionFailed() {
        return errorActionFailed.sum();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }
}
