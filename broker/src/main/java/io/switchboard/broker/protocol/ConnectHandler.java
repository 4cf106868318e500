package io.switchboard.broker.protocol;

import io.netty.channel.EventLoop;
import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.broker.session.AttachRequest;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.property.Properties;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT (validation, authentication, attaching the session), AUTH (enhanced authentication and
 * re-authentication, section 4.12), the CONNACK once the session is attached, and the client's
 * DISCONNECT. One per broker; each method runs on the connection's event loop.
 */
final class ConnectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private final BrokerConfig config;
    private final SessionRegistry sessions;
    private final ClientIdGenerator clientIds;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final DenialAudit audit;
    private final ClientEvents events;

    ConnectHandler(BrokerConfig config, SessionRegistry sessions, ClientIdGenerator clientIds,
            Authenticator authenticator, Authorizer authorizer, DenialAudit audit, ClientEvents events) {
        this.audit = audit;
        this.config = config;
        this.sessions = sessions;
        this.clientIds = clientIds;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.events = events;
    }

    void onConnect(MqttConnection c, ConnectPacket p) {
        c.version = p.version();
        ConnectDecision decision = ConnectValidator.validate(p, config, clientIds);
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
        String method = p.properties().authenticationMethod();
        if (method != null && !authenticator.supportsMethod(method)) {
            // [MQTT-4.12.0-1] an unsupported Authentication Method: CONNACK 0x8C and close.
            c.close(ReasonCode.BAD_AUTHENTICATION_METHOD, "authentication method '" + LogText.escape(method)
                    + "' is not supported by this broker");
            return;
        }
        ConnectAttempt attempt = new ConnectAttempt(accept.clientId(), p.username(), p.password(), method,
                p.properties().authenticationData(), versionName(p.version()), c.transport.listener(),
                c.transport.kind(), String.valueOf(c.remote()), c.transport.clientCertificates(c.context()),
                c.transport.certificateName(c.context()), userProperties(p.properties()), false);
        if (method != null) {
            c.auth = new AuthExchange(method, attempt);
        }
        // Until CONNACK the broker reads no more than it holds: the authenticator and the session decide.
        c.pauseBeforeConnack(true);
        CompletionStage<AuthOutcome> stage = authenticator.authenticate(attempt);
        if (method != null || !stage.toCompletableFuture().isDone()) {
            armDeadline(c);
        }
        whenDecided(c, stage, outcome -> onConnectOutcome(c, attempt, outcome));
    }

    /**
     * Authentication must end within {@code mqtt.connectTimeoutSeconds} of the CONNECT, as the CONNECT
     * had to come within it of the connection: before CONNACK there is no keep alive, so a client
     * that never answers a challenge, or an authenticator that never decides, would otherwise hold
     * the connection for ever. Armed only when the decision is not taken at once.
     */
    private void armDeadline(MqttConnection c) {
        int seconds = config.mqtt().connectTimeoutSeconds();
        c.eventLoop().schedule(() -> {
            if (c.state != MqttConnection.State.CONNECTING || c.identity != null) {
                return; // decided (attaching the session is not authentication), or closed
            }
            if (c.auth != null && c.auth.awaitingClient()) {
                c.close(ReasonCode.NOT_AUTHORIZED, "no answer to the authentication challenge within " + seconds + " s");
            } else {
                c.close(ReasonCode.SERVER_UNAVAILABLE, "authentication was not decided within " + seconds + " s");
            }
        }, seconds, TimeUnit.SECONDS);
    }

    private void onConnectOutcome(MqttConnection c, ConnectAttempt attempt, AuthOutcome outcome) {
        if (c.state != MqttConnection.State.CONNECTING) {
            return; // closed meanwhile
        }
        if (outcome instanceof AuthOutcome.Continue more) {
            if (c.auth == null) {
                // Only an enhanced authentication (a 5.0 CONNECT with an Authentication Method) can go
                // on; [MQTT-4.12.0-6] forbids AUTH otherwise. The authenticator is wrong, not the client.
                LOG.warn("Client {}: the authenticator asked to continue, but the CONNECT has no Authentication "
                        + "Method", LogText.escape(c.clientId()));
                c.close(ReasonCode.UNSPECIFIED_ERROR, "authentication could not be completed");
                return;
            }
            // [MQTT-4.12.0-2] the server sends AUTH 0x18 to go on with the exchange.
            c.auth.awaitClient(more.next());
            c.send(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(c.auth.method,
                    more.authenticationData())));
            c.flush();
            c.pauseBeforeConnack(false); // the client's answer must be read
        } else if (outcome instanceof AuthOutcome.Failure f) {
            ReasonCode code = refusalCode(c.version, f.reasonCode());
            audit.refused(attempt.clientId(), attempt.certificateName() != null ? attempt.certificateName()
                    : attempt.username(), "connect", code, f.reason());
            c.close(code, f.reason());
        } else {
            AuthOutcome.Success s = (AuthOutcome.Success) outcome;
            c.identity = authorizer.connected(identity(attempt, s));
            c.authSuccessData = s.authenticationData();
            sessions.attach(new AttachRequest(c, attempt.clientId(), c.params.cleanStart(), c.params.sessionExpiry(),
                    c.will));
        }
    }

    /** AUTH from the client: the next step of the CONNECT exchange, or a re-authentication (5.0). */
    void onAuth(MqttConnection c, AuthPacket a) {
        if (c.auth == null) {
            // [MQTT-4.12.0-7] a client that sent no Authentication Method in CONNECT must not send AUTH.
            c.close(ReasonCode.PROTOCOL_ERROR, "AUTH without an Authentication Method in CONNECT");
            return;
        }
        String method = a.properties().authenticationMethod();
        if (!c.auth.method.equals(method)) {
            // [MQTT-4.12.0-5] / [MQTT-4.12.1-1] the method must be the one of the CONNECT.
            c.close(ReasonCode.PROTOCOL_ERROR, "AUTH carries Authentication Method '" + LogText.escape(method)
                    + "'; the CONNECT used '" + LogText.escape(c.auth.method) + "'");
            return;
        }
        byte[] data = a.properties().authenticationData();
        if (c.auth.awaitingClient()) {
            if (a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
                // [MQTT-4.12.0-3] the client answers the server's AUTH with AUTH 0x18.
                c.close(ReasonCode.PROTOCOL_ERROR, "expected AUTH 0x18 (Continue authentication), got "
                        + a.reasonCode());
                return;
            }
            CompletionStage<AuthOutcome> next = c.auth.respond(data);
            if (c.state == MqttConnection.State.CONNECTING) {
                c.pauseBeforeConnack(true); // the authenticator decides again
                whenDecided(c, next, outcome -> onConnectOutcome(c, c.auth.attempt, outcome));
            } else {
                reauthenticate(c, next);
            }
            return;
        }
        if (c.state != MqttConnection.State.CONNECTED || a.reasonCode() != ReasonCode.RE_AUTHENTICATE) {
            c.close(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH " + a.reasonCode()
                    + "; a connected client may only start a re-authentication (0x19)");
            return;
        }
        ConnectAttempt attempt = new ConnectAttempt(c.clientId(), c.auth.attempt.username(), c.auth.attempt.password(),
                method, data, versionName(c.version), c.transport.listener(), c.transport.kind(),
                String.valueOf(c.remote()), c.auth.attempt.clientCertificates(), c.auth.attempt.certificateName(),
                userProperties(a.properties()), true);
        reauthenticate(c, authenticator.authenticate(attempt));
    }

    /**
     * DISCONNECT instead of the AUTH the broker waits for: [MQTT-3.1.2-30] lets a client send it
     * before CONNACK, and nothing is pending that it should wait behind, so the connection closes now
     * (section 3.14.4), without CONNACK; there is no session and so no Will.
     */
    void onDisconnectDuringAuth(MqttConnection c) {
        LOG.debug("Client {} disconnected during the authentication exchange", LogText.escape(c.clientId()));
        c.state = MqttConnection.State.CLOSED;
        c.context().close();
    }

    /** Section 4.12.1: success is AUTH 0x00, failure a DISCONNECT ([MQTT-4.12.1-2]). */
    private void reauthenticate(MqttConnection c, CompletionStage<AuthOutcome> stage) {
        c.awaitDecision();
        whenDecided(c, stage, outcome -> {
            if (c.state != MqttConnection.State.CONNECTED) {
                return;
            }
            if (outcome instanceof AuthOutcome.Continue more) {
                c.auth.awaitClient(more.next());
                c.send(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(c.auth.method,
                        more.authenticationData())));
            } else if (outcome instanceof AuthOutcome.Failure f) {
                ReasonCode code = f.reasonCode().allowedIn(PacketType.DISCONNECT) ? f.reasonCode()
                        : ReasonCode.NOT_AUTHORIZED;
                audit.refused(c.clientId(), c.identity.authenticationName(), "reauthenticate", code, f.reason());
                c.close(code, f.reason());
                return;
            } else {
                AuthOutcome.Success s = (AuthOutcome.Success) outcome;
                c.identity = authorizer.connected(identity(c.auth.attempt, s));
                // The session authorizes each delivery: from now on for the identity just established.
                c.session.reauthenticated(c.identity);
                c.send(new AuthPacket(ReasonCode.SUCCESS, authProperties(c.auth.method, s.authenticationData())));
            }
            c.decided();
        });
    }

    /**
     * Runs {@code then} on the connection's loop once the stage completes: at once when it is
     * already complete (the common case: no hop, no reordering), else later, with the connection's
     * reading paused meanwhile. A failed stage refuses the client with 0x80; a failure to apply the
     * decision closes with 0x83, as it would have on the connection's own read (never leaving the
     * connection waiting for ever).
     */
    private static <T> void whenDecided(MqttConnection c, CompletionStage<T> stage, Consumer<T> then) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            then.accept(f.join());
            return;
        }
        EventLoop loop = c.eventLoop();
        stage.whenComplete((value, error) -> loop.execute(() -> {
            if (error != null) {
                LOG.warn("Client {}: the authenticator failed: {}", LogText.escape(c.clientId()), error.toString());
                c.close(ReasonCode.UNSPECIFIED_ERROR, "authentication could not be completed");
                return;
            }
            try {
                then.accept(value);
            } catch (RuntimeException e) {
                LOG.error("Client {}: the authentication decision could not be applied", LogText.escape(c.clientId()), e);
                c.close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error");
                return;
            }
            c.flush();
        }));
    }

    private static ClientIdentity identity(ConnectAttempt attempt, AuthOutcome.Success s) {
        String name = s.authenticationName() != null ? s.authenticationName()
                : attempt.certificateName() != null ? attempt.certificateName() : attempt.username();
        return new ClientIdentity(attempt.clientId(), name, attempt.listener(), s.attributes());
    }

    /** A refusal code the version can carry: 3.1.1 has only return codes 1 to 5. */
    private static ReasonCode refusalCode(MqttVersion v, ReasonCode rc) {
        if (v.isV5()) {
            return rc.allowedIn(PacketType.CONNACK) ? rc : ReasonCode.NOT_AUTHORIZED;
        }
        return rc == ReasonCode.BAD_USER_NAME_OR_PASSWORD || rc == ReasonCode.SERVER_UNAVAILABLE ? rc
                : ReasonCode.NOT_AUTHORIZED;
    }

    private static Properties authProperties(String method, byte[] data) {
        return Properties.builder().authenticationMethod(method).authenticationData(data).build();
    }

    private static List<Map.Entry<String, String>> userProperties(Properties p) {
        return p.userProperties().stream()
                .<Map.Entry<String, String>>map(u -> new AbstractMap.SimpleImmutableEntry<>(u.name(), u.value()))
                .toList();
    }

    private static String versionName(MqttVersion v) {
        return switch (v) {
            case V3_1 -> "3.1";
            case V3_1_1 -> "3.1.1";
            case V5 -> "5.0";
        };
    }

    /** On the connection's event loop, once the session is attached: CONNACK, keep alive, held packets. */
    void onAttached(MqttConnection c, Session session, boolean sessionPresent) {
        if (c.state != MqttConnection.State.CONNECTING || !c.isActive()) {
            session.detach(c, c.publishWillOnClose ? c.will : null); // closed before CONNACK
            return;
        }
        c.session = session; // from here on, closing the connection detaches it
        ConnectDecision.Accept a = c.params;
        MqttConfig mqtt = config.mqtt();
        // [MQTT-3.2.2-2] / [MQTT-3.2.2-3] Session Present tells whether the session was resumed.
        ConnackPacket connack = new ConnackPacket(sessionPresent, ReasonCode.SUCCESS,
                c.version.isV5() ? connackProperties(c, a, mqtt) : Properties.EMPTY);
        int size = c.encodedSize(connack);
        if (size > a.maximumPacketSize()) {
            // [MQTT-3.1.2-24] the CONNACK may not exceed the client's Maximum Packet Size: refuse rather
            // than leave the client waiting for a CONNACK that never comes.
            c.close(ReasonCode.PACKET_TOO_LARGE, "the CONNACK (" + size + " bytes) is larger than the Maximum"
                    + " Packet Size of " + a.maximumPacketSize() + " bytes the client accepts");
            return;
        }
        c.state = MqttConnection.State.CONNECTED;
        c.send(connack);
        if (c.version.isV5()) {
            c.topicAliases = new TopicAliases(mqtt.topicAliasMaximum());
            int aliases = Math.min(a.clientTopicAliasMaximum(), mqtt.outboundTopicAliasMaximum());
            if (aliases > 0) {
                c.outboundAliases = new OutboundTopicAliases(aliases);
            }
        }
        c.startKeepAlive(a.keepAliveSeconds());
        c.connectedAtMillis = c.protocol.clock.millis();
        c.protocol.metrics.clientConnected();
        events.connected(c.eventClient());
        LOG.debug("Client {} connected from {} (MQTT {}, session present {})", LogText.escape(a.clientId()),
                c.remote(), c.version, sessionPresent);
        c.pauseBeforeConnack(false);
        c.replayHeld();
    }

    /** What the broker supports and its limits (section 3.2.2.3). */
    private static Properties connackProperties(MqttConnection c, ConnectDecision.Accept a, MqttConfig mqtt) {
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
        if (!mqtt.wildcardSubscriptionAvailable()) {
            b.wildcardSubscriptionAvailable(0);
        }
        if (!mqtt.subscriptionIdentifiersAvailable()) {
            b.subscriptionIdentifierAvailable(0);
        }
        b.sharedSubscriptionAvailable(mqtt.sharedSubscriptionAvailable() ? 1 : 0);
        if (a.requestResponseInformation() && mqtt.responseInformation()) {
            // [MQTT-3.1.2-28] Response Information only when the client asked for it.
            b.responseInformation(ResponseTopics.prefixFor(a.clientId()));
        }
        if (c.auth != null) {
            b.authenticationMethod(c.auth.method).authenticationData(c.authSuccessData);
        }
        return b.build();
    }

    void onDisconnect(MqttConnection c, DisconnectPacket d) {
        if (c.version.isV5()) {
            Long expiry = d.properties().sessionExpiryInterval();
            if (expiry != null) {
                if (c.requestedSessionExpiry == 0 && expiry != 0) {
                    // Section 3.14.2.2.2: a session that had expiry 0 in CONNECT cannot be given one at DISCONNECT.
                    c.close(ReasonCode.PROTOCOL_ERROR, "Session Expiry Interval " + expiry
                            + " in DISCONNECT after 0 in CONNECT");
                    return;
                }
                c.session.setExpiryInterval(Math.min(expiry, config.sessions().maxSessionExpiryInterval()));
            }
            // [MQTT-3.14.4-3] / [MQTT-3.1.2-10] the Will is discarded unless the reason is 0x04.
            c.publishWillOnClose = d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
            c.closeReason = d.properties().reasonString();
        } else {
            c.publishWillOnClose = false;
        }
        c.closeReasonCode = d.reasonCode();
        LOG.debug("Client {} disconnected: {}", LogText.escape(c.clientId()), d.reasonCode());
        c.state = MqttConnection.State.CLOSED;
        c.leftConnected();
        c.context().close();
    }
}
