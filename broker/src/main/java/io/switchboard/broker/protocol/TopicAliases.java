package io.switchboard.broker.protocol;

import io.switchboard.codec.ReasonCode;

/**
 * Topic aliases set by a 5.0 client towards the broker (section 3.3.2.3.4). Per connection: they
 * do not survive a reconnect ([MQTT-3.3.2-7]).
 */
final class TopicAliases {
    private final int maximum;
    private String[] topics;

    TopicAliases(int maximum) {
        this.maximum = maximum;
    }

    int maximum() {
        return maximum;
    }

    /**
     * Resolves the topic of a PUBLISH: sets the alias when a topic is given, looks it up when the
     * topic is empty. Returns the topic name, or throws with the reason code to disconnect with.
     */
    String resolve(String topic, Integer alias) {
        if (alias == null) {
            return topic;
        }
        if (alias == 0 || alias > maximum) {
            // [MQTT-3.3.2-9] / [MQTT-3.3.2-10] an alias of 0 or above Topic Alias Maximum is 0x94.
            throw new AliasException(ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias
                    + " is outside 1.." + maximum + " (the Topic Alias Maximum in CONNACK)");
        }
        if (topics == null) {
            topics = new String[maximum + 1];
        }
        if (!topic.isEmpty()) {
            topics[alias] = topic;
            return topic;
        }
        String known = topics[alias];
        if (known == null) {
            throw new AliasException(ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias
                    + " is used with an empty topic before it was set");
        }
        return known;
    }

    /** A topic alias the client used wrongly. */
    static final class AliasException extends RuntimeException {
        final ReasonCode reasonCode;

        AliasException(ReasonCode reasonCode, String message) {
            super(message, null, false, false);
            this.reasonCode = reasonCode;
        }
    }
}
