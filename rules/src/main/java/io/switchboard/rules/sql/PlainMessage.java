package io.switchboard.rules.sql;

import java.util.List;

/** The {@link MessageContext} that {@link MessageContext#builder} makes. */
record PlainMessage(String topic, String clientId, String principal, long timestampMillis, byte[] payload,
                    List<UserProperty> userProperties, String contentType, int payloadFormatIndicator,
                    String responseTopic, byte[] correlationData) implements MessageContext {
}
