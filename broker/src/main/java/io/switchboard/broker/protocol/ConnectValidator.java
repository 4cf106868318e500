package io.switchboard.broker.protocol;

import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.routing.Topics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.wire.MqttStrings;
import java.nio.charset.StandardCharsets;

/** The CONNECT rules, as a pure function from packet and configuration to a {@link ConnectDecision}. */
public final class ConnectValidator {
    private ConnectValidator() {
    }

    public static ConnectDecision validate(ConnectPacket c, BrokerConfig config, ClientIdGenerator ids) {
        var mqtt = config.mqtt();
        Properties props = c.properties();
        MqttVersion v = c.version();
        String clientId = c.clientId();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            if (v == MqttVersion.V3_1) {
                return new ConnectDecision.Refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "MQTT 3.1 requires a client identifier of 1 to 23 characters");
            }
            if (v == MqttVersion.V3_1_1 && !c.cleanStart()) {
                // [MQTT-3.1.3-8] an empty client id with Clean Session 0 is refused with return code 0x02.
                return new ConnectDecision.Refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "an empty client identifier requires Clean Session 1");
            }
            // [MQTT-3.1.3-6] the server assigns a unique client id (sent back in 5.0, [MQTT-3.2.2-16]).
            clientId = ids.next();
            assigned = true;
        }
        int idLength = clientId.getBytes(StandardCharsets.UTF_8).length;
        if (!assigned && idLength > mqtt.maxClientIdLength()) {
            // The limit is on what clients send; an id the broker assigns is never refused by it.
            return new ConnectDecision.Refuse(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier of "
                    + idLength + " bytes is longer than the allowed " + mqtt.maxClientIdLength());
        }
        Will will = c.will();
        if (will != null) {
            ConnectDecision.Refuse refusal = checkWill(will, config);
            if (refusal != null) {
                return refusal;
            }
        }
        int keepAlive = c.keepAlive();
        Integer serverKeepAlive = null;
        if (v.isV5() && (keepAlive > mqtt.maxKeepAlive() || (keepAlive == 0 && mqtt.maxKeepAlive() < 65_535))) {
            // [MQTT-3.2.2-21] the client must use the Server Keep Alive instead of its own.
            keepAlive = mqtt.maxKeepAlive();
            serverKeepAlive = keepAlive;
        }
        long expiry;
        boolean lowered = false;
        if (v.isV5()) {
            long asked = props.sessionExpiryInterval() == null ? 0 : props.sessionExpiryInterval();
            expiry = Math.min(asked, config.sessions().maxSessionExpiryInterval());
            lowered = expiry != asked;
        } else {
            expiry = c.cleanStart() ? 0 : config.sessions().persistentSessionExpiry();
        }
        int receiveMaximum = props.receiveMaximum() == null ? 65_535 : props.receiveMaximum();
        long maxPacketSize = props.maximumPacketSize() == null ? Long.MAX_VALUE : props.maximumPacketSize();
        boolean problemInfo = props.requestProblemInformation() == null || props.requestProblemInformation() == 1;
        int aliases = props.topicAliasMaximum() == null ? 0 : props.topicAliasMaximum();
        boolean responseInfo = props.requestResponseInformation() != null && props.requestResponseInformation() == 1;
        return new ConnectDecision.Accept(clientId, assigned, keepAlive, serverKeepAlive, expiry, lowered,
                receiveMaximum, maxPacketSize, problemInfo, c.cleanStart(), aliases, responseInfo);
    }

    private static ConnectDecision.Refuse checkWill(Will will, BrokerConfig config) {
        String topicProblem = Topics.checkName(will.topic());
        if (topicProblem != null) {
            return new ConnectDecision.Refuse(ReasonCode.TOPIC_NAME_INVALID, "Will Topic: " + topicProblem);
        }
        if (will.qos() > config.mqtt().maxQos()) {
            // [MQTT-3.2.2-12] a Will QoS above the Maximum QoS is refused with 0x9B.
            return new ConnectDecision.Refuse(ReasonCode.QOS_NOT_SUPPORTED, "Will QoS " + will.qos()
                    + " is above the maximum QoS " + config.mqtt().maxQos());
        }
        if (will.retain() && !config.mqtt().retainAvailable()) {
            // [MQTT-3.2.2-13] a retained Will when retain is not available is refused with 0x9A.
            return new ConnectDecision.Refuse(ReasonCode.RETAIN_NOT_SUPPORTED,
                    "the Will is retained but retained messages are disabled");
        }
        Integer format = will.properties().payloadFormatIndicator();
        if (format != null && format == 1 && !MqttStrings.isWellFormedUtf8(will.payload().unsafeBytes())) {
            return new ConnectDecision.Refuse(ReasonCode.PAYLOAD_FORMAT_INVALID,
                    "the Will Payload is marked UTF-8 (Payload Format Indicator 1) but is not well-formed UTF-8");
        }
        String responseTopic = will.properties().responseTopic();
        if (responseTopic != null && Topics.checkName(responseTopic) != null) {
            return new ConnectDecision.Refuse(ReasonCode.PROTOCOL_ERROR,
                    "Will Response Topic: " + Topics.checkName(responseTopic));
        }
        return null;
    }
}
