package io.switchboard.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one call is made: its timeout (10 s unless set), the QoS of the request (1 unless set: the
 * broker's PUBACK then says at once when nobody listens), user properties and content type.
 * Immutable; each {@code with} method returns a changed copy.
 */
public final class CallOptions {
    private static final CallOptions DEFAULTS = new CallOptions(Duration.ofSeconds(10), 1, List.of(), null);

    private final Duration timeout;
    private final int qos;
    private final List<UserProperty> userProperties;
    private final String contentType;

    private CallOptions(Duration timeout, int qos, List<UserProperty> userProperties, String contentType) {
        this.timeout = timeout;
        this.qos = qos;
        this.userProperties = userProperties;
        this.contentType = contentType;
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
        return new CallOptions(timeout, qos, userProperties, contentType);
    }

    /** The request's QoS, 0, 1 or 2. With 0 a call without responder fails only by timeout (or broker help). */
    public CallOptions withQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos + ": allowed 0, 1 or 2");
        }
        return new CallOptions(timeout, qos, userProperties, contentType);
    }

    /** Adds a user property to the request (names may repeat). */
    public CallOptions withUserProperty(String name, String value) {
        List<UserProperty> all = new ArrayList<>(userProperties);
        all.add(new UserProperty(name, value));
        return new CallOptions(timeout, qos, List.copyOf(all), contentType);
    }

    /** The request's Content Type, or null for none. */
    public CallOptions withContentType(String contentType) {
        return new CallOptions(timeout, qos, userProperties, contentType);
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
