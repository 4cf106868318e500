package io.switchboard.rules.engine;

import java.util.List;

/**
 * The {@code republish} action: the rule's output published to a topic, with MQTT 5 headers. Every
 * string but {@code qos} is a substitution template ({@code ${topic(2)}}, {@code ${clientid()}}, a
 * payload field), evaluated against the message the rule ran on.
 *
 * @param topic the topic name (template); no wildcards, not {@code $SYS/...}
 * @param qos 0, 1 or 2; default 0
 * @param retain default false
 * @param contentType the Content Type; default {@code application/json} (the output is JSON), none
 *     when given as an empty string
 * @param responseTopic the Response Topic, or null
 * @param correlationData the Correlation Data (UTF-8 of the rendered template), or null
 * @param messageExpiryInterval seconds, or null for none
 * @param userProperties User Properties, in order (names and values are templates)
 */
public record RepublishConfig(String topic, Integer qos, Boolean retain, String contentType, String responseTopic,
        String correlationData, Long messageExpiryInterval, List<UserPropertyTemplate> userProperties) {
    public RepublishConfig {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("republish.topic is required: the topic name (a template)");
        }
        qos = qos == null ? 0 : qos;
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("republish.qos " + qos + ": allowed 0, 1 or 2");
        }
        retain = retain != null && retain;
        contentType = contentType == null ? "application/json" : contentType;
        if (messageExpiryInterval != null && (messageExpiryInterval < 0 || messageExpiryInterval > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("republish.messageExpiryInterval " + messageExpiryInterval
                    + ": allowed 0..4294967295 seconds");
        }
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** A user property to add: name and value, both templates. */
    public record UserPropertyTemplate(String name, String value) {
        public UserPropertyTemplate {
            if (name == null || value == null) {
                throw new IllegalArgumentException("republish.userProperties: each has a name and a value");
            }
        }
    }
}
