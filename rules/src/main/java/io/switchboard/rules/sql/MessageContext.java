package io.switchboard.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a rule may know of the message it is evaluated against: what the SQL functions {@code topic()},
 * {@code clientid()}, {@code principal()}, {@code timestamp()}, {@code get_user_property(ies)} and
 * {@code get_mqtt_property} read, and the payload.
 *
 * <p>The broker implements it over its own message; {@link #builder} makes a plain one. Implementations must be
 * immutable for as long as rules evaluate the message, and cheap to call: a rule may call each method many times.
 */
public interface MessageContext {

    /** The topic name the message was published to. */
    String topic();

    /** The publishing client's id, or null when the message did not come over MQTT ({@code clientid()} is "n/a"). */
    String clientId();

    /** What the publisher authenticated as (AWS: the certificate thumbprint), or null when unknown. */
    String principal();

    /** When the rules engine received the message, in milliseconds since the Unix epoch ({@code timestamp()}). */
    long timestampMillis();

    /** The payload, not copied: nothing may change it. Never null; empty for an empty payload. */
    byte[] payload();

    /** The User Properties in the order they came, names repeated as they were; empty if none. */
    List<UserProperty> userProperties();

    /** The Content Type property, or null. */
    String contentType();

    /** The Payload Format Indicator: 0 (unspecified bytes, also when absent) or 1 (UTF-8). */
    int payloadFormatIndicator();

    /** The Response Topic property, or null. */
    String responseTopic();

    /** The Correlation Data property, or null. Not copied: nothing may change it. */
    byte[] correlationData();

    /** A plain, immutable message context, for callers without a message of their own (and for tests). */
    static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** Builds a {@link MessageContext}; everything but the topic is optional. Not thread-safe. */
    final class Builder {
        private final String topic;
        private String clientId;
        private String principal;
        private long timestampMillis;
        private byte[] payload = new byte[0];
        private List<UserProperty> userProperties = List.of();
        private String contentType;
        private int payloadFormatIndicator;
        private String responseTopic;
        private byte[] correlationData;

        Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        public Builder timestampMillis(long timestampMillis) {
            this.timestampMillis = timestampMillis;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            return this;
        }

        public Builder payload(String utf8) {
            return payload(utf8.getBytes(StandardCharsets.UTF_8));
        }

        public Builder userProperties(List<UserProperty> userProperties) {
            this.userProperties = List.copyOf(userProperties);
            return this;
        }

        public Builder userProperty(String name, String value) {
            ArrayList<UserProperty> all = new ArrayList<>(userProperties);
            all.add(new UserProperty(name, value));
            this.userProperties = List.copyOf(all);
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder payloadFormatIndicator(int indicator) {
            if (indicator != 0 && indicator != 1) {
                throw new IllegalArgumentException("payload format indicator must be 0 or 1, was " + indicator);
            }
            this.payloadFormatIndicator = indicator;
            return this;
        }

        public Builder responseTopic(String responseTopic) {
            this.responseTopic = responseTopic;
            return this;
        }

        public Builder correlationData(byte[] correlationData) {
            this.correlationData = correlationData;
            return this;
        }

        public MessageContext build() {
            return new PlainMessage(topic, clientId, principal, timestampMillis, payload, userProperties,
                    contentType, payloadFormatIndicator, responseTopic, correlationData);
        }
    }
}
