package io.switchboard.rpc;

/**
 * How requests and replies are put on the wire (docs/rpc.md, "Wire formats"). The API is the same
 * for all three; what differs is what the other side must speak.
 */
public enum WireFormat {
    /**
     * MQTT 5 request/response, the default: the payload as it is, the reply address in the Response
     * Topic, the call in the Correlation Data, the deadline in the Message Expiry Interval, the status
     * in user properties. One reply subscription per client; a broker's PUBACK 0x10 fails a call at once.
     */
    MQTT5,
    /**
     * MQTT 3.1.1 with a JSON envelope: {@code request_id}, {@code response_topic}, {@code deadline},
     * content type and user properties beside the payload; the reply on
     * {@code {request_topic}/response/{request_id}}, subscribed as {@code {request_topic}/response/+}.
     */
    JSON_ENVELOPE,
    /**
     * MQTT 3.1.1 with JSON-RPC 2.0 as the npm package {@code mqtt-json-rpc} speaks it: a call's topic
     * is the method, published on {@code {method}/request}; the payload is the {@code params} (a
     * JSON array or object) and a reply's payload the {@code result}; replies come on
     * {@code {method}/response/{caller id}}.
     */
    JSON_RPC
}
