package io.switchboard.conformance.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Watches everything logged while a fuzz run lasts, in bounded memory: counts of events by level,
 * the first few ERROR events (and WARN events from Netty, which is how Netty reports an exception
 * nobody handled), and uncaught exceptions on any thread. Meanwhile the broker's own lines below
 * ERROR are kept off the console: a fuzz run makes hundreds of thousands of "Closing connection".
 */
final class LogCapture implements AutoCloseable {
    private static final int KEPT = 10;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Counter counter = new Counter();
    private final List<Filter<ILoggingEvent>> quietFilters = new ArrayList<>();
    private final List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
    private final Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    private final ConcurrentLinkedQueue<String> uncaught = new ConcurrentLinkedQueue<>();

    private LogCapture() {
    }

    static LogCapture start() {
        LogCapture c = new LogCapture();
        c.counter.setContext(c.root.getLoggerContext());
        c.counter.start();
        for (Iterator<Appender<ILoggingEvent>> it = c.root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            Filter<ILoggingEvent> quiet = new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent e) {
                    return e.getLoggerName().startsWith("io.switchboard.broker")
                            && !e.getLevel().isGreaterOrEqual(Level.ERROR) ? FilterReply.DENY : FilterReply.NEUTRAL;
                }
            };
            a.addFilter(quiet);
            c.consoles.add(a);
            c.quietFilters.add(quiet);
        }
        c.root.addAppender(c.counter);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (c.uncaught.size() < KEPT) {
                c.uncaught.add(t.getName() + ": " + ThrowableProxyUtil.asString(
                        new ch.qos.logback.classic.spi.ThrowableProxy(e)));
            }
        });
        return c;
    }

    long count(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> counter.errors.sum();
            case Level.WARN_INT -> counter.warnings.sum();
            case Level.INFO_INT -> counter.infos.sum();
            default -> 0;
        };
    }

    /** Connections the broker closed (its "Closing connection" lines), by reason code, most frequent first. */
    /** INFO lines by logger name (short), most first. */
    Map<String, Long> infosByLogger() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counter.infosByLogger.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue().sum()));
        return sorted;
    }

    Map<String, Long> closesByReason() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counter.closes.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue().sum()));
        return sorted;
    }

    /** ERROR events, Netty's WARN events and uncaught exceptions: each is a failure of the broker. */
    long problems() {
        return counter.errors.sum() + counter.nettyWarnings.get() + uncaught.size();
    }

    /** The first problems, with stack traces. */
    List<String> firstProblems() {
        List<String> all = new ArrayList<>(counter.kept);
        all.addAll(uncaught);
        return all;
    }

    @Override
    public void close() {
        root.detachAppender(counter);
        counter.stop();
        for (int i = 0; i < consoles.size(); i++) {
            // Logback cannot remove one filter: put back the ones that were there before ours.
            Appender<ILoggingEvent> a = consoles.get(i);
            List<Filter<ILoggingEvent>> others = new ArrayList<>(a.getCopyOfAttachedFiltersList());
            others.remove(quietFilters.get(i));
            a.clearAllFilters();
            others.forEach(a::addFilter);
        }
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    /** Counts by level, without a lock: it runs on the broker's event loops. */
    private static final class Counter extends UnsynchronizedAppenderBase<ILoggingEvent> {
        final LongAdder errors = new LongAdder();
        final LongAdder warnings = new LongAdder();
        final LongAdder infos = new LongAdder();
        final AtomicInteger nettyWarnings = new AtomicInteger();
        final ConcurrentLinkedQueue<String> kept = new ConcurrentLinkedQueue<>();
        /** Connections the broker closed, by reason code: one entry per reason code, so bounded. */
        final ConcurrentHashMap<String, LongAdder> closes = new ConcurrentHashMap<>();
        /** INFO lines by logger: one entry per logger, so bounded. */
        final ConcurrentHashMap<String, LongAdder> infosByLogger = new ConcurrentHashMap<>();

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getMessage().startsWith("Closing connection") && e.getArgumentArray() != null
                    && e.getArgumentArray().length > 3) {
                closes.computeIfAbsent(String.valueOf(e.getArgumentArray()[3]), k -> new LongAdder()).increment();
            }
            if (e.getLevel() == Level.INFO) {
                String name = e.getLoggerName();
                infosByLogger.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new LongAdder())
                        .increment();
            }
            boolean problem = false;
            switch (e.getLevel().toInt()) {
                case Level.ERROR_INT -> {
                    errors.increment();
                    problem = true;
                }
                case Level.WARN_INT -> {
                    warnings.increment();
                    if (e.getLoggerName().startsWith("io.netty")) {
                        nettyWarnings.incrementAndGet();
                        problem = true;
                    }
                }
                case Level.INFO_INT -> infos.increment();
                default -> {
                }
            }
            if (problem && kept.size() < KEPT) {
                kept.add(e.getLevel() + " [" + e.getThreadName() + "] " + e.getLoggerName() + ": "
                        + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? ""
                                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        }
    }
}
