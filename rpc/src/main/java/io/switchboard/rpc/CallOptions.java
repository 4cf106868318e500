package io.switchboard.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one call is made: its timeout (10 s unless set), the QoS of the request (1 unless set: the
 * broker's PUBACK then says at once when nobody listens), user properties and content type.
 * Immutable; each {@code with} method returns a changed copy.
 */
public final class CallOptions {
    private static final CallOptions DEFAULTS = new CallOptions(Duration.ofSeconds(10), 1, List.of(), null, null, 0,
            Duration.ZERO, null);
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private final Duration timeout;
    private final int qos;
    private final List<UserProperty> userProperties;
    private final String contentType;
    private final String traceparent;
    private final int retries;
    private final Duration retryBackoff;
    private final String method;

    private CallOptions(Duration timeout, int qos, List<UserProperty> userProperties, String contentType,
            String traceparent, int retries, Duration retryBackoff, String method) {
        this.method = method;
        this.timeout = timeout;
        this.qos = qos;
        this.userProperties = userProperties;
        this.contentType = contentType;
        this.traceparent = traceparent;
        this.retries = retries;
        this.retryBackoff = retryBackoff;
    }

    /** Timeout 10 s, QoS 1, no user properties, no content type. */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /** How long to wait for the reply; also the request's Message Expiry. At least 1 ms. */
    public CallOptions withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + ": must be positive");
        }
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, retryBackoff, method);
    }

    /** The request's QoS, 0, 1 or 2. With 0 a call without responder fails only by timeout (or broker help). */
    public CallOptions withQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos + ": allowed 0, 1 or 2");
        }
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, retryBackoff, method);
    }

    /** Adds a user property to the request (names may repeat). */
    public CallOptions withUserProperty(String name, String value) {
        List<UserProperty> all = new ArrayList<>(userProperties);
        all.add(new UserProperty(name, value));
        return new CallOptions(timeout, qos, List.copyOf(all), contentType, traceparent, retries, retryBackoff, method);
    }

    /** The request's Content Type, or null for none. */
    public CallOptions withContentType(String contentType) {
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, retryBackoff, method);
    }

    /**
     * Carries a W3C Trace Context {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}) as a
     * user property; the responder sees it ({@link Request#traceparent()}) and copies it onto the reply.
     */
    public CallOptions withTraceparent(String traceparent) {
        if (traceparent != null && !TRACEPARENT.matcher(traceparent).matches()) {
            throw new IllegalArgumentException("traceparent '" + traceparent
                    + "': expected version-traceid-parentid-flags in lower-case hex, e.g. 00-<32 hex>-<16 hex>-01");
        }
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, retryBackoff, method);
    }

    /**
     * For idempotent calls only: after a timeout or a lost connection, tries again up to
     * {@code retries} times, waiting {@code backoff}, doubled each time, before each retry. Each
     * attempt is a new request with its own Correlation Data and the full timeout. Responder errors
     * and "no responder" are not retried.
     */
    public CallOptions withRetries(int retries, Duration backoff) {
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries " + retries + ": 0 to 100");
        }
        Objects.requireNonNull(backoff, "backoff");
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff " + backoff + ": must not be negative");
        }
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, backoff, method);
    }

    /**
     * The method name the call is counted under in the metrics (tag {@code method}); the topic
     * unless set. Set it when topics carry ids ({@code devices/<id>/health}), so that every device
     * does not get timers of its own.
     */
    public CallOptions withMethod(String method) {
        return new CallOptions(timeout, qos, userProperties, contentType, traceparent, retries, retryBackoff, method);
    }

    /** The metrics' method name, or null for the topic. */
    public String method() {
        return method;
    }

    /** The traceparent, or null. */
    public String traceparent() {
        return traceparent;
    }

    public int retries() {
        return retries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration timeout() {
        return timeout;
    }

    public int qos() {
        return qos;
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /** The Content Type, or null. */
    public String contentType() {
        return contentType;
    }
}
