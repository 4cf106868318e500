package io.switchboard.rpc;

import java.time.Instant;

/**
 * A wire format ({@link WireFormat}): how a call becomes a request message and a reply message a
 * call's answer, and how a service reads requests and writes replies. One instance per client: it
 * holds the random part of the client's correlation ids.
 */
interface Format {
    /** The topic a call to {@code target} (a topic, or a JSON-RPC method) is published on. */
    String requestTopic(String target);

    /**
     * The filter the reply to a call to {@code target} comes on, subscribed (and acknowledged)
     * before the request is published; null when replies come on the client's one reply topic.
     */
    String replyFilter(String target);

    /**
     * The request for call {@code id}; throws IllegalArgumentException when the payload does not fit
     * the format (a JSON-RPC call's params must be a JSON array or object).
     */
    Link.Message request(String target, byte[] payload, CallOptions options, long id, long timeoutMillis,
            String replyTopic);

    /** The call a reply answers and the reply as handed out (status headers included), or null when it is not ours. */
    Answer reply(Link.Message message);

    /** The MQTT filter a service on {@code filter} subscribes to. */
    String serveFilter(String filter);

    /** A received request, or null when the message is not one (an ordinary message, a notification). */
    Request request(Link.Message message, Instant now);

    /** The reply to {@code request}, at {@code qos}. */
    Link.Message reply(Request request, Response response, int qos);

    /** A reply matched to its call. */
    record Answer(long id, Reply reply) {
    }

    static Format of(WireFormat format) {
        return switch (format) {
            case MQTT5 -> new PropertiesFormat();
            case JSON_ENVELOPE -> new EnvelopeFormat();
            case JSON_RPC -> new JsonRpcFormat();
        };
    }
}
