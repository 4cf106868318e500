package io.switchboard.broker.protocol;

import io.netty.handler.timeout.IdleStateHandler;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.session.AttachRequest;
import io.switchboard.broker.session.Session;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.property.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CONNECT, the CONNACK once the session is attached, and the client's DISCONNECT. */
final class ConnectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private ConnectHandler() {
    }

    static void onConnect(MqttConnection c, ConnectPacket p) {
        c.version = p.version();
        ConnectDecision decision = ConnectValidator.validate(p, c.broker.config(), c.broker.clientIds());
        if (decision instanceof ConnectDecision.Refuse r) {
            c.close(r.reasonCode(), r.reason());
            return;
        }
        ConnectDecision.Accept accept = (ConnectDecision.Accept) decision;
        c.params = accept;
        c.will = p.will();
        c.requestedSessionExpiry = p.properties().sessionExpiryInterval() == null ? 0
                : p.properties().sessionExpiryInterval();
        c.state = MqttConnection.State.CONNECTING;
        c.broker.sessions().attach(new AttachRequest(c, accept.clientId(), p.cleanStart(), accept.sessionExpiry()));
    }

    /** On the connection's event loop, once the session is attached: CONNACK, keep alive, held packets. */
    static void onAttached(MqttConnection c, Session session, boolean sessionPresent) {
        if (c.state != MqttConnection.State.CONNECTING || !c.context().channel().isActive()) {
            session.detach(c, c.publishWillOnClose ? c.will : null); // closed before CONNACK
            return;
        }
        c.session = session;
        c.state = MqttConnection.State.CONNECTED;
        ConnectDecision.Accept a = c.params;
        // [MQTT-3.2.2-2] / [MQTT-3.2.2-3] Session Present tells whether the session was resumed.
        c.send(new ConnackPacket(sessionPresent, ReasonCode.SUCCESS,
                c.version.isV5() ? connackProperties(a, c.broker.config().mqtt()) : Properties.EMPTY));
        if (a.keepAliveSeconds() > 0) {
            long millis = a.keepAliveSeconds() * 1500L; // [MQTT-3.1.2-22] one and a half times the keep alive
            c.context().pipeline().addBefore(c.context().name(), "keepAlive",
                    new IdleStateHandler(millis, 0, 0, TimeUnit.MILLISECONDS));
        }
        LOG.debug("Client {} connected from {} (MQTT {}, session present {})", a.clientId(), c.remote(), c.version,
                sessionPresent);
        MqttPacket held;
        while (c.state == MqttConnection.State.CONNECTED && (held = c.heldUntilConnack.poll()) != null) {
            c.dispatch(held);
        }
    }

    /** What the broker supports and its limits (section 3.2.2.3). */
    private static Properties connackProperties(ConnectDecision.Accept a, MqttConfig mqtt) {
        Properties.Builder b = Properties.builder();
        if (a.assigned()) {
            b.assignedClientIdentifier(a.clientId()); // [MQTT-3.2.2-16]
        }
        if (a.serverKeepAlive() != null) {
            b.serverKeepAlive(a.serverKeepAlive());
        }
        if (a.sessionExpiryLowered()) {
            b.sessionExpiryInterval(a.sessionExpiry());
        }
        if (mqtt.receiveMaximum() != 65_535) {
            b.receiveMaximum(mqtt.receiveMaximum());
        }
        b.maximumPacketSize((long) mqtt.maxPacketSize());
        if (mqtt.topicAliasMaximum() > 0) {
            b.topicAliasMaximum(mqtt.topicAliasMaximum());
        }
        if (mqtt.maxQos() < 2) {
            b.maximumQos(mqtt.maxQos());
        }
        if (!mqtt.retainAvailable()) {
            b.retainAvailable(0);
        }
        b.sharedSubscriptionAvailable(0); // shared subscriptions are not implemented yet
        return b.build();
    }

    static void onDisconnect(MqttConnection c, DisconnectPacket d) {
        if (c.version.isV5()) {
            Long expiry = d.properties().sessionExpiryInterval();
            if (expiry != null) {
                if (c.requestedSessionExpiry == 0 && expiry != 0) {
                    // Section 3.14.2.2.2: a session that had expiry 0 in CONNECT cannot be given one at DISCONNECT.
                    c.close(ReasonCode.PROTOCOL_ERROR, "Session Expiry Interval " + expiry
                            + " in DISCONNECT after 0 in CONNECT");
                    return;
                }
                c.session.setExpiryInterval(Math.min(expiry, c.broker.config().sessions().maxSessionExpiryInterval()));
            }
            // [MQTT-3.14.4-3] / [MQTT-3.1.2-10] the Will is discarded unless the reason is 0x04.
            c.publishWillOnClose = d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
        } else {
            c.publishWillOnClose = false;
        }
        LOG.debug("Client {} disconnected: {}", c.clientId(), d.reasonCode());
        c.state = MqttConnection.State.CLOSED;
        c.context().close();
    }
}
