package io.switchboard.rules.engine;

import io.switchboard.broker.logging.LogText;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule failures in the log (logger {@code io.switchboard.rules}, WARN): a rule that fails on every
 * message must not flood it, so each rule logs at most {@value #PER_MINUTE} lines a minute and the
 * next line says how many were held back. Every failure is counted and sent to the error action
 * whatever the log does.
 */
final class ErrorLog {
    static final int PER_MINUTE = 10;
    private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.rules");

    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long minute;
        int lines;
        final AtomicLong held = new AtomicLong();
    }

    ErrorLog(Clock clock) {
        this.clock = clock;
    }

    void log(String rule, String topic, String failedAction, String error) {
        long minute = clock.millis() / 60_000;
        Window w = windows.computeIfAbsent(rule, k -> new Window());
        long held;
        synchronized (w) {
            if (w.minute != minute) {
                w.minute = minute;
                w.lines = 0;
            }
            if (w.lines >= PER_MINUTE) {
                w.held.incrementAndGet();
                return;
            }
            w.lines++;
            held = w.held.getAndSet(0);
        }
        LOG.warn("rule={} topic={} failed={} error=\"{}\"{}", rule, LogText.escape(topic), failedAction,
                LogText.escape(error), held == 0 ? "" : " heldBackBefore=" + held);
    }
}
