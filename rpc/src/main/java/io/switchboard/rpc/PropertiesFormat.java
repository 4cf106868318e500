package io.switchboard.rpc;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link WireFormat#MQTT5}: the payload as it is, and the rest in MQTT 5 properties. Correlation
 * Data is 16 bytes: 8 random bytes drawn once per client (so that replies to another client, or to
 * an earlier run of this one, are never taken for ours) and the call's number.
 */
final class PropertiesFormat implements Format {
    private static final int CORRELATION_LENGTH = 16;

    private final long prefix = new SecureRandom().nextLong();

    @Override
    public String requestTopic(String target) {
        Wire.checkTopicName(target);
        return target;
    }

    @Override
    public String replyFilter(String target) {
        return null;
    }

    @Override
    public Link.Message request(String target, byte[] payload, CallOptions options, long id, long timeoutMillis,
            String replyTopic) {
        byte[] correlation = ByteBuffer.allocate(CORRELATION_LENGTH).putLong(prefix).putLong(id).array();
        // The request expires when the caller stops waiting: a device that was offline never runs a stale one.
        long expirySeconds = Math.max(1, (timeoutMillis + 999) / 1000);
        return new Link.Message(target, payload, options.qos(), replyTopic, correlation, expirySeconds,
                options.contentType(), requestProperties(options));
    }

    static List<UserProperty> requestProperties(CallOptions options) {
        if (options.traceparent() == null) {
            return options.userProperties();
        }
        List<UserProperty> all = new ArrayList<>(options.userProperties());
        all.add(new UserProperty(RpcHeaders.TRACEPARENT, options.traceparent()));
        return all;
    }

    @Override
    public Answer reply(Link.Message m) {
        byte[] c = m.correlationData();
        if (c == null || c.length != CORRELATION_LENGTH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(c);
        if (b.getLong() != prefix) {
            return null;
        }
        return new Answer(b.getLong(), new Reply(m.topic(), m.payload(), m.contentType(), m.userProperties()));
    }

    @Override
    public String serveFilter(String filter) {
        return filter;
    }

    @Override
    public Request request(Link.Message m, Instant now) {
        if (m.responseTopic() == null) {
            return null; // an ordinary message: nothing to answer
        }
        Instant deadline = m.expirySeconds() >= 0 ? now.plusSeconds(m.expirySeconds()) : null;
        return new Request(m.topic(), m.payload(), m.contentType(), m.userProperties(), m.responseTopic(),
                m.correlationData(), deadline);
    }

    @Override
    public Link.Message reply(Request request, Response out, int qos) {
        List<UserProperty> properties = replyProperties(request, out);
        return new Link.Message(request.responseTopic(), out.payload(), qos, null, request.rawCorrelationData(), -1,
                out.contentType(), properties);
    }

    /** The response's user properties, the request's traceparent, and the status headers ({@link RpcHeaders}). */
    static List<UserProperty> replyProperties(Request request, Response out) {
        List<UserProperty> properties = new ArrayList<>(out.userProperties());
        request.traceparent().ifPresent(t -> properties.add(new UserProperty(RpcHeaders.TRACEPARENT, t)));
        if (out.isError()) {
            properties.add(new UserProperty(RpcHeaders.STATUS, RpcHeaders.ERROR));
            properties.add(new UserProperty(RpcHeaders.CODE, out.errorCode()));
            properties.add(new UserProperty(RpcHeaders.MESSAGE, out.errorMessage()));
        } else {
            properties.add(new UserProperty(RpcHeaders.STATUS, RpcHeaders.OK));
        }
        return properties;
    }
}
