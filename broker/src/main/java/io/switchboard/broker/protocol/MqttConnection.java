package io.switchboard.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.broker.BrokerContext;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.SessionEndpoint;
import io.switchboard.broker.storage.QueuedMessage;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the lifecycle state machine, the dispatcher from packet type to handler,
 * and the one place where a broken rule becomes a CONNACK or DISCONNECT ({@link #close}).
 *
 * <p>Confined to its channel's event loop, which is also the event loop of its session once attached.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** How long a refused connection may keep sending after our reason code, before it is closed. */
    private static final long LINGER_MILLIS = 1000;

    /** The connection's lifecycle. */
    enum State {
        /** Waiting for CONNECT. */
        AWAIT_CONNECT,
        /** CONNECT accepted; the session is being attached; packets are held until CONNACK. */
        CONNECTING,
        /** CONNACK sent. */
        CONNECTED,
        /** Closing or closed; input is ignored. */
        CLOSED
    }

    final BrokerContext broker;
    private ChannelHandlerContext ctx;
    State state = State.AWAIT_CONNECT;
    MqttVersion version;
    ConnectDecision.Accept params;
    Will will;
    Session session;
    /** Cleared by a normal DISCONNECT ([MQTT-3.1.2-10]) and at broker shutdown. */
    boolean publishWillOnClose = true;
    /** The Session Expiry Interval the CONNECT asked for (5.0), for the rule of section 3.14.2.2.2. */
    long requestedSessionExpiry;
    final ArrayDeque<MqttPacket> heldUntilConnack = new ArrayDeque<>();
    final TopicAliases topicAliases;
    private boolean needsFlush;
    private ScheduledFuture<?> connectTimeout;

    public MqttConnection(BrokerContext broker) {
        this.broker = broker;
        this.topicAliases = new TopicAliases(broker.config().mqtt().topicAliasMaximum());
    }

    // ---- lifecycle ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        broker.metrics().connectionsOpened.increment();
        int seconds = broker.config().mqtt().connectTimeoutSeconds();
        connectTimeout = ctx.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT) {
                LOG.info("Connection {} sent no CONNECT within {} s; closing", remote(), seconds);
                close(ReasonCode.MAXIMUM_CONNECT_TIME, "no CONNECT within " + seconds + " s");
            }
        }, seconds, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttPacket packet = (MqttPacket) msg;
        switch (state) {
            case AWAIT_CONNECT -> {
                cancelConnectTimeout();
                ConnectHandler.onConnect(this, (ConnectPacket) packet);
            }
            case CONNECTING -> {
                if (packet instanceof ConnectPacket) {
                    close(ReasonCode.PROTOCOL_ERROR, "a second CONNECT was sent"); // [MQTT-3.1.0-2]
                } else if (heldUntilConnack.size() > broker.config().mqtt().receiveMaximum() + 64) {
                    close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "too many packets sent before CONNACK");
                } else {
                    if (packet instanceof DisconnectPacket d) {
                        // Decide the Will now: the socket may close before the held DISCONNECT is
                        // processed, and a normal DISCONNECT must still suppress it ([MQTT-3.1.2-10]).
                        publishWillOnClose = version.isV5()
                                && d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
                    }
                    heldUntilConnack.add(packet);
                }
            }
            case CONNECTED -> dispatch(packet);
            case CLOSED -> {
                // The connection is closing: nothing more is processed.
            }
        }
    }

    /** The one switch from packet type to handler. */
    void dispatch(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> PublishReceiver.onPublish(this, (PublishPacket) packet);
            case PUBACK -> session.onPuback(((PubackPacket) packet).packetId());
            case PUBREC -> {
                PubrecPacket p = (PubrecPacket) packet;
                session.onPubrec(p.packetId(), p.reasonCode().isError());
            }
            case PUBREL -> PublishReceiver.onPubrel(this, (PubrelPacket) packet);
            case PUBCOMP -> session.onPubcomp(((PubcompPacket) packet).packetId());
            case SUBSCRIBE -> SubscriptionHandler.onSubscribe(this, (SubscribePacket) packet);
            case UNSUBSCRIBE -> SubscriptionHandler.onUnsubscribe(this, (UnsubscribePacket) packet);
            case PINGREQ -> send(PingrespPacket.INSTANCE); // [MQTT-3.12.4-1]
            case DISCONNECT -> ConnectHandler.onDisconnect(this, (DisconnectPacket) packet);
            case CONNECT -> close(ReasonCode.PROTOCOL_ERROR, "a second CONNECT was sent"); // [MQTT-3.1.0-2]
            case AUTH -> close(ReasonCode.PROTOCOL_ERROR,
                    "AUTH without an Authentication Method in CONNECT"); // [MQTT-4.12.0-1]
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> close(ReasonCode.PROTOCOL_ERROR,
                    packet.type() + " is sent by servers, not clients");
        }
    }

    /**
     * Back-pressure for a client that sends but does not read: while its output is not being taken
     * (over {@code mqtt.maxOutboundBytes}), stop reading its input, so acknowledgements cannot pile up
     * without bound. After a refusal input is still drained (see {@link #closeAfterReply}).
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() || state == State.CLOSED);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // [MQTT-3.1.2-22] nothing received within 1.5 times the Keep Alive: disconnect.
            close(ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet received within 1.5 times the keep alive of "
                    + params.keepAliveSeconds() + " s");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof MqttDecodeException e) {
            if (version == null && e.version() != null) {
                version = e.version(); // learnt from a CONNECT that failed after its version was read
            }
            close(e.reasonCode(), e.getMessage());
        } else if (c instanceof IOException) {
            LOG.debug("Connection {} ({}): {}", remote(), clientId(), c.toString());
            ctx.close();
        } else {
            LOG.error("Connection {} ({}): unexpected failure", remote(), clientId(), c);
            close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        broker.metrics().connectionsClosed.increment();
        cancelConnectTimeout();
        if (session != null) {
            Session s = session;
            session = null;
            s.detach(this, publishWillOnClose ? will : null);
        }
        ctx.fireChannelInactive();
    }

    private void cancelConnectTimeout() {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
    }

    /**
     * Closes the connection because of {@code reasonCode}: before CONNACK with a CONNACK (5.0, or the
     * 3.1.1 return codes that exist), after it with a DISCONNECT (5.0) or by closing (3.1.1)
     * ([MQTT-4.13.1-1]). The Will is published unless a normal DISCONNECT cleared it.
     */
    void close(ReasonCode reasonCode, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean beforeConnack = state != State.CONNECTED;
        state = State.CLOSED;
        heldUntilConnack.clear();
        LOG.info("Closing connection {} (client {}, MQTT {}): {}: {}", remote(), clientId(),
                version == null ? "?" : version, reasonCode, reason);
        MqttPacket reply = null;
        if (beforeConnack && version != null) {
            if (version.isV5() && reasonCode.allowedIn(PacketType.CONNACK)) {
                reply = new ConnackPacket(false, reasonCode, reasonString(reason));
            } else if (!version.isV5() && hasReturnCode(reasonCode)) {
                reply = new ConnackPacket(false, reasonCode, Properties.EMPTY);
            }
        } else if (!beforeConnack && version.isV5()) {
            ReasonCode code = reasonCode.allowedIn(PacketType.DISCONNECT) ? reasonCode : ReasonCode.UNSPECIFIED_ERROR;
            reply = new DisconnectPacket(code, reasonString(reason));
        }
        if (reply != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(MqttCodec.encode(reply, version, ctx.alloc())).addListener(f -> closeAfterReply());
        } else {
            ctx.close();
        }
    }

    /**
     * Closes after a CONNACK or DISCONNECT that refuses: first only our sending side, then, once the
     * client closes too or after {@link #LINGER_MILLIS}, the whole connection. Closing both ways at
     * once would make the kernel answer a client that is still sending with a reset, which discards
     * the unread reason code on the client's side. Input meanwhile is read and ignored (state CLOSED).
     */
    private void closeAfterReply() {
        ctx.channel().config().setAutoRead(true);
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput().addListener(f ->
                    ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
        } else {
            ctx.close();
        }
    }

    /** The 3.1.1 Connect Return Codes 1 to 5. */
    private static boolean hasReturnCode(ReasonCode rc) {
        return switch (rc) {
            case UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID, SERVER_UNAVAILABLE,
                    BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED -> true;
            default -> false;
        };
    }

    /** Closes at broker shutdown: DISCONNECT 0x8B in 5.0, and no Will. */
    public void shutdown() {
        publishWillOnClose = false;
        if (state == State.CONNECTED || state == State.CONNECTING) {
            close(ReasonCode.SERVER_SHUTTING_DOWN, "the broker is shutting down");
        } else {
            ctx.close();
        }
    }

    // ---- output ----

    /** Encodes and writes a packet (not flushed until the end of the read batch or task batch). */
    void send(MqttPacket packet) {
        ByteBuf buf = MqttCodec.encode(packet, version, ctx.alloc());
        if (params != null && buf.readableBytes() > params.maximumPacketSize()) {
            // [MQTT-3.1.2-24] never send a packet larger than the client's Maximum Packet Size.
            LOG.warn("Client {}: {} of {} bytes exceeds its Maximum Packet Size of {}; not sent", clientId(),
                    packet.type(), buf.readableBytes(), params.maximumPacketSize());
            buf.release();
            return;
        }
        ctx.write(buf, ctx.voidPromise());
        needsFlush = true;
    }

    /**
     * A Reason String for an acknowledgement, or none when the client asked for no problem
     * information ([MQTT-3.1.2-29]); CONNACK and DISCONNECT always carry it.
     */
    Properties reasonString(String reason) {
        if (!version.isV5() || reason == null) {
            return Properties.EMPTY;
        }
        return Properties.builder().reasonString(reason).build();
    }

    Properties ackReasonString(String reason) {
        return params != null && !params.requestProblemInformation() ? Properties.EMPTY : reasonString(reason);
    }

    @Override
    public boolean sendPublish(QueuedMessage m, int packetId, boolean dup) {
        return PublishSender.send(this, m, packetId, dup);
    }

    @Override
    public void sendPubrel(int packetId, boolean packetIdFound) {
        send(packetIdFound ? new PubrelPacket(packetId)
                : new PubrelPacket(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
    }

    @Override
    public int sendQuota() {
        return Math.min(params.receiveMaximum(), broker.config().mqtt().maxInflight());
    }

    @Override
    public void flush() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    // ---- session endpoint ----

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void attached(Session s, boolean sessionPresent) {
        ConnectHandler.onAttached(this, s, sessionPresent);
    }

    @Override
    public Will takenOver() {
        Will w = publishWillOnClose ? will : null;
        publishWillOnClose = false;
        session = null; // the new connection owns the session now
        // [MQTT-3.1.4-3] the existing connection gets DISCONNECT 0x8E and is closed.
        close(ReasonCode.SESSION_TAKEN_OVER, "another connection with client id '" + clientId() + "' took the session over");
        return w;
    }

    @Override
    public String clientId() {
        return params == null ? null : params.clientId();
    }

    void write(ByteBuf buf) {
        ctx.write(buf, ctx.voidPromise());
        needsFlush = true;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    SocketAddress remote() {
        return ctx.channel().remoteAddress();
    }
}
