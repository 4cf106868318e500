package io.switchboard.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.delivery.CongestionListener;
import io.switchboard.broker.delivery.Subscriber;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.session.ConnectionInfo;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.SessionEndpoint;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the lifecycle state machine, the dispatcher from packet type to handler,
 * and the one place where a broken rule becomes a CONNACK or DISCONNECT ({@link #close}).
 *
 * <p>Confined to its channel's event loop, which is also the event loop of its session once attached.
 *
 * <p>Reading is paused (and packets already read are held, in order) while a decision is pending
 * (authentication, an asynchronous authorization), while a subscriber this connection published to
 * is not keeping up (for at most {@code mqtt.slowSubscriberTimeoutMillis}), and while the client
 * does not take what is written to it.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionEndpoint,
        CongestionListener {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** How long a refused connection may keep sending after our reason code, before it is closed. */
    private static final long LINGER_MILLIS = 1000;

    /** The connection's lifecycle. */
    enum State {
        /** Waiting for CONNECT. */
        AWAIT_CONNECT,
        /** CONNECT received; authentication and attaching the session; packets are held until CONNACK. */
        CONNECTING,
        /** CONNACK sent. */
        CONNECTED,
        /** Closing or closed; input is ignored. */
        CLOSED
    }

    final MqttProtocol protocol;
    final ConnectionTransport transport;
    private ChannelHandlerContext ctx;
    State state = State.AWAIT_CONNECT;
    MqttVersion version;
    ConnectDecision.Accept params;
    ClientIdentity identity;
    /** The publish tap's memo for this connection (the rules engine's last match); made at its first use. */
    private PublishTap.Memo tapMemo;
    Will will;
    Session session;
    /** Cleared by a normal DISCONNECT ([MQTT-3.1.2-10]) and at broker shutdown. */
    boolean publishWillOnClose = true;
    /** The Session Expiry Interval the CONNECT asked for (5.0), for the rule of section 3.14.2.2.2. */
    long requestedSessionExpiry;
    /** The enhanced authentication exchange in progress, or null. */
    AuthExchange auth;
    /** Authentication Data for the CONNACK of a successful enhanced authentication, or null. */
    byte[] authSuccessData;
    /** When CONNACK 0x00 was sent (wall clock), or 0 before; for the disconnected event. */
    long connectedAtMillis;
    /** What the client said in its DISCONNECT, for the disconnected event. */
    ReasonCode closeReasonCode;
    String closeReason;

    /** Packets read while a decision is pending, replayed in order when it is taken. */
    private ArrayDeque<MqttPacket> held;
    /** A decision is pending: packets are held. */
    private boolean awaiting;
    /** Between CONNECT and CONNACK, while the broker (not the client) is deciding: reading is paused. */
    private boolean connectPaused;
    /** The keep-alive sweep asked for one read of a client whose reading was paused by its own backlog. */
    private boolean keepAliveProbed;

    TopicAliases topicAliases;
    OutboundTopicAliases outboundAliases;
    private boolean needsFlush;
    /** The connect timeout until CONNECT, then the deadline of a pending decision. */
    private ScheduledFuture<?> timer;
    private long lastReadNanos;
    private long keepAliveNanos;
    /** Links of the loop's keep-alive list ({@link KeepAlive}). */
    MqttConnection keepAlivePrev;
    MqttConnection keepAliveNext;
    private boolean sentConnect;

    /** Subscribers that this connection published to and that are not keeping up; reading waits for them. */
    private Set<Subscriber> waitingFor;
    /** This client does not take what is written to it: since when (nanoTime), or 0. */
    /** Created when the client's output first backs up; null until then. */
    Backlog backlog;
    /** Created when an acknowledgement first waits for storage; null until then. */
    private DurableAcks acks;

    MqttConnection(MqttProtocol protocol, ConnectionTransport transport) {
        this.protocol = protocol;
        this.transport = transport;
    }

    // ---- lifecycle ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        protocol.metrics.connectionsOpened.increment();
        int seconds = protocol.config.mqtt().connectTimeoutSeconds();
        timer = ctx.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT) {
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
                cancelTimer();
                sentConnect = true;
                transport.connectReceived(ctx);
                protocol.connect.onConnect(this, (ConnectPacket) packet);
            }
            case CONNECTING -> {
                if (packet instanceof ConnectPacket) {
                    close(ReasonCode.PROTOCOL_ERROR, "a second CONNECT was sent"); // [MQTT-3.1.0-2]
                } else if (packet instanceof AuthPacket a && auth != null && auth.awaitingClient()) {
                    protocol.connect.onAuth(this, a);
                } else if (packet instanceof DisconnectPacket && auth != null && auth.awaitingClient()) {
                    protocol.connect.onDisconnectDuringAuth(this);
                } else if (auth != null && !(packet instanceof AuthPacket) && !(packet instanceof DisconnectPacket)) {
                    // [MQTT-3.1.2-30] with an Authentication Method in CONNECT, only AUTH or DISCONNECT until CONNACK.
                    close(ReasonCode.PROTOCOL_ERROR, packet.type() + " sent before CONNACK during enhanced"
                            + " authentication; only AUTH or DISCONNECT are allowed until then");
                } else if (held != null && held.size() > protocol.config.mqtt().receiveMaximum() + 64) {
                    close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "too many packets sent before CONNACK");
                } else {
                    if (packet instanceof DisconnectPacket d) {
                        // Decide the Will now: the socket may close before the held DISCONNECT is
                        // processed, and a normal DISCONNECT must still suppress it ([MQTT-3.1.2-10]).
                        publishWillOnClose = version.isV5()
                                && d.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
                    }
                    hold(packet);
                }
            }
            case CONNECTED -> {
                if (awaiting) {
                    hold(packet);
                } else {
                    dispatch(packet);
                }
            }
            case CLOSED -> {
                // The connection is closing: nothing more is processed.
            }
        }
    }

    private void hold(MqttPacket packet) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(packet);
    }

    /** The one switch from packet type to handler. */
    void dispatch(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> protocol.publishes.onPublish(this, (PublishPacket) packet);
            case PUBACK -> session.onPuback(((PubackPacket) packet).packetId());
            case PUBREC -> {
                PubrecPacket p = (PubrecPacket) packet;
                session.onPubrec(p.packetId(), p.reasonCode().isError());
            }
            case PUBREL -> protocol.publishes.onPubrel(this, (PubrelPacket) packet);
            case PUBCOMP -> session.onPubcomp(((PubcompPacket) packet).packetId());
            case SUBSCRIBE -> protocol.subscriptions.onSubscribe(this, (SubscribePacket) packet);
            case UNSUBSCRIBE -> protocol.subscriptions.onUnsubscribe(this, (UnsubscribePacket) packet);
            case PINGREQ -> send(PingrespPacket.INSTANCE); // [MQTT-3.12.4-1]
            case DISCONNECT -> protocol.connect.onDisconnect(this, (DisconnectPacket) packet);
            case AUTH -> protocol.connect.onAuth(this, (AuthPacket) packet);
            case CONNECT -> close(ReasonCode.PROTOCOL_ERROR, "a second CONNECT was sent"); // [MQTT-3.1.0-2]
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> close(ReasonCode.PROTOCOL_ERROR,
                    packet.type() + " is sent by servers, not clients");
        }
    }

    // ---- pending decisions ----

    /**
     * A decision is pending: hold what is read, and stop reading, until {@link #decided()}; closes the
     * connection (0x83) if it does not come within {@code mqtt.connectTimeoutSeconds}: an authorizer
     * or authenticator that never answers must not hold a connection, unread, for ever.
     */
    void awaitDecision() {
        awaiting = true;
        updateAutoRead();
        if (timer == null) { // the connect timeout is over once CONNECT came: the field serves again
            int seconds = protocol.config.mqtt().connectTimeoutSeconds();
            timer = ctx.executor().schedule(() -> {
                timer = null;
                if (awaiting && state != State.CLOSED) {
                    close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "a decision on this client's packet did not"
                            + " come within " + seconds + " s");
                }
            }, seconds, TimeUnit.SECONDS);
        }
    }

    /** The pending decision was taken (on the loop): replay what was held, in order. */
    void decided() {
        awaiting = false;
        cancelTimer();
        replayHeld();
        updateAutoRead();
        flush();
    }

    /**
     * Runs a decision that came on another thread, on this connection's loop: a failure to apply it
     * closes the connection (0x83), as it would have on the connection's own read, rather than
     * leaving it paused.
     */
    void applyDecision(Runnable apply) {
        try {
            apply.run();
        } catch (RuntimeException e) {
            LOG.error("Client {}: a decision could not be applied", LogText.escape(clientId()), e);
            close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error");
        }
    }

    /** Between CONNECT and CONNACK: stop reading while the broker decides (true), read again (false). */
    void pauseBeforeConnack(boolean pause) {
        connectPaused = pause;
        updateAutoRead();
    }

    /** Dispatches held packets until they run out or another decision is pending. */
    void replayHeld() {
        MqttPacket p;
        while (held != null && state == State.CONNECTED && !awaiting && (p = held.poll()) != null) {
            dispatch(p);
        }
        if (held != null && held.isEmpty()) {
            held = null; // most connections never hold a packet again
        }
    }

    // ---- fairness: publishers wait for subscribers that do not keep up ----

    /** A subscriber this connection just published to is not keeping up: read no more until it does. */
    @Override
    public void congested(Subscriber s) {
        if (waitingFor == null) {
            waitingFor = new HashSet<>(4);
        }
        if (waitingFor.add(s)) {
            EventLoop loop = ctx.channel().eventLoop();
            updateAutoRead();
            s.awaitUncongested(() -> loop.execute(() -> stopWaitingFor(s)));
        }
    }

    private void stopWaitingFor(Subscriber s) {
        if (waitingFor != null && waitingFor.remove(s) && waitingFor.isEmpty()) {
            updateAutoRead();
        }
    }

    private void updateAutoRead() {
        boolean read = state == State.CLOSED || (!awaiting && !connectPaused
                && (waitingFor == null || waitingFor.isEmpty()) && ctx.channel().isWritable());
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /**
     * While the client does not take its output (over {@code mqtt.maxOutboundBytes}): stop reading
     * its input, so acknowledgements cannot pile up, and let its {@link Backlog} hold its publishers
     * back or declare it slow. After a refusal input is still drained (see {@link #close}).
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        updateAutoRead();
        if (session != null && state == State.CONNECTED && (backlog != null || !writable)) {
            if (backlog == null) {
                backlog = new Backlog(this);
            }
            backlog.writabilityChanged(writable, session);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        keepAliveProbed = false;
        flush();
        ctx.fireChannelReadComplete();
    }

    // ---- keep alive ----

    /** [MQTT-3.1.2-22] closes when nothing is received within one and a half times the keep alive. */
    void startKeepAlive(int keepAliveSeconds) {
        if (keepAliveSeconds == 0) {
            return;
        }
        keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveSeconds * 1500L);
        lastReadNanos = System.nanoTime();
        protocol.keepAlive(ctx.channel().eventLoop()).add(this);
    }

    /** Called by the loop's {@link KeepAlive} sweep. */
    void checkKeepAlive(long now) {
        if (state != State.CONNECTED || now - lastReadNanos < keepAliveNanos) {
            return;
        }
        if (awaiting || (waitingFor != null && !waitingFor.isEmpty())) {
            // Reading is paused by the broker (a decision, a subscriber it waits for): not the client's fault.
            lastReadNanos = now;
            return;
        }
        if (!ctx.channel().config().isAutoRead() && !keepAliveProbed) {
            // Reading is paused because the client does not take its output: look once at what it sent
            // (a PINGREQ waiting in the socket counts) before deciding it is gone.
            keepAliveProbed = true;
            ctx.read();
            return;
        }
        close(ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet received within 1.5 times the keep alive of "
                + params.keepAliveSeconds() + " s");
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
            LOG.debug("Connection {} ({}): {}", remote(), LogText.escape(clientId()), c.toString());
            ctx.close();
        } else {
            LOG.error("Connection {} ({}): unexpected failure", remote(), LogText.escape(clientId()), c);
            close(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        protocol.metrics.connectionsClosed.increment();
        cancelTimer();
        if (backlog != null) {
            backlog.cancel();
        }
        if (keepAliveNanos != 0) {
            protocol.keepAlive(ctx.channel().eventLoop()).remove(this);
        }
        held = null;
        transport.closed(ctx, sentConnect);
        if (session != null) {
            Session s = session;
            session = null;
            s.detach(this, publishWillOnClose ? will : null);
        }
        leftConnected();
        if (params != null) {
            protocol.audit.forget(params.clientId());
        }
        ctx.fireChannelInactive();
    }

    private void cancelTimer() {
        cancel(timer);
        timer = null;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Closes the connection because of {@code reasonCode}: before CONNACK with a CONNACK (5.0, or the
     * 3.1.1 return codes that exist), after it with a DISCONNECT (5.0) or by closing (3.1.1)
     * ([MQTT-4.13.1-1]). The Will is published unless a normal DISCONNECT cleared it. Then the
     * transport closes so that the client still reads the reply (half-close, close_notify, Close
     * frame), reads and ignores what the client still sends for up to a second, and closes.
     */
    void close(ReasonCode reasonCode, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean beforeConnack = state != State.CONNECTED;
        state = State.CLOSED;
        held = null;
        cancelTimer();
        if (closeReasonCode == null) {
            closeReasonCode = reasonCode;
            closeReason = reason;
        }
        leftConnected();
        protocol.refusals.info(LOG, remote(), "Closing connection {} (client {}, MQTT {}, listener {}): {}: {}",
                remote(), LogText.escape(clientId()), version == null ? "?" : version, transport.listener(),
                reasonCode, LogText.escape(reason));
        MqttPacket reply = version == null ? null
                : RefusalReply.of(version, beforeConnack, reasonCode, reasonString(reason));
        if (reply != null && params != null && encodedSize(reply) > params.maximumPacketSize()) {
            // [MQTT-3.1.2-24] not even a refusal may exceed the client's Maximum Packet Size: without
            // its reason string, or not at all.
            reply = reply instanceof ConnackPacket ? new ConnackPacket(false, reasonCode, Properties.EMPTY)
                    : new DisconnectPacket(((DisconnectPacket) reply).reasonCode(), Properties.EMPTY);
            if (encodedSize(reply) > params.maximumPacketSize()) {
                reply = null;
            }
        }
        if (reply instanceof ConnackPacket) {
            protocol.metrics.refused(reasonCode.value()); // every refusing CONNACK passes here
        }
        ctx.channel().config().setAutoRead(true);
        if (reply != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(MqttCodec.encode(reply, version, ctx.alloc()))
                    .addListener(f -> transport.closeAfterReply(ctx, LINGER_MILLIS));
            // A client that does not read never lets the reply be written: close regardless, later.
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.close();
                }
            }, 2 * LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    /**
     * Closes because the client may no longer be connected (its certificate was revoked): after
     * CONNACK a DISCONNECT 0x87 (Not authorized) with {@code reason} as its Reason String in 5.0, a
     * close in 3.1.1, which has no DISCONNECT from the server; before CONNACK a CONNACK 0x87 (5.0) or
     * return code 5 (3.1.1). As after any close by the broker, the Will is published
     * ([MQTT-3.1.2-8]) and the session is kept for its expiry interval. On the connection's loop.
     */
    public void closeNotAuthorized(String reason) {
        if (state != State.CLOSED) {
            protocol.audit.refused(clientId(), identity == null ? null : identity.authenticationName(), "revoked",
                    ReasonCode.NOT_AUTHORIZED, reason);
        }
        close(ReasonCode.NOT_AUTHORIZED, reason);
    }

    /** Closes at broker shutdown: DISCONNECT 0x8B in 5.0, and no Will. On the connection's loop. */
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
            protocol.refusals.info(LOG, remote(), "Client {}: {} of {} bytes exceeds its Maximum Packet Size of {};"
                    + " not sent", LogText.escape(clientId()), packet.type(), buf.readableBytes(),
                    params.maximumPacketSize());
            buf.release();
            return;
        }
        write(buf);
    }

    /** The size of a packet once encoded for this client. */
    int encodedSize(MqttPacket packet) {
        ByteBuf buf = MqttCodec.encode(packet, version, ctx.alloc());
        try {
            return buf.readableBytes();
        } finally {
            buf.release();
        }
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
        return Math.min(params.receiveMaximum(), protocol.config.mqtt().maxInflight());
    }

    @Override
    public void flush() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    /**
     * The client is no longer connected: the disconnected event goes out now, when the broker decides
     * it (close, DISCONNECT, takeover), not when the socket is gone a linger later, so that on a
     * takeover it comes before the new connection's connected event. Once per connection.
     */
    void leftConnected() {
        if (connectedAtMillis != 0) {
            protocol.metrics.clientsConnected.decrementAndGet();
            protocol.events.disconnected(eventClient(), closeReasonCode, closeReason, protocol.clock.millis());
            connectedAtMillis = 0;
        }
    }

    /** The client as lifecycle events describe it (built when needed, not kept: memory per connection). */
    ClientEvents.Client eventClient() {
        return new ClientEvents.Client(params.clientId(), version, String.valueOf(remote()), transport.listener(),
                params.cleanStart(), params.sessionExpiry(), connectedAtMillis);
    }

    // ---- session endpoint ----

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void attached(Session s, boolean sessionPresent) {
        protocol.connect.onAttached(this, s, sessionPresent);
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
    public ClientIdentity identity() {
        return identity;
    }

    /** The publish tap's memo for this connection, made at its first use: none for a broker without a tap. Event loop. */
    PublishTap.Memo tapMemo() {
        PublishTap.Memo m = tapMemo;
        return m != null ? m : (tapMemo = new PublishTap.Memo());
    }

    @Override
    public boolean reauthorize() {
        return protocol.recheck.reauthorize(this);
    }

    @Override
    public void refused(ReasonCode reasonCode, String reason) {
        protocol.audit.refused(clientId(), identity == null ? null : identity.authenticationName(), "connect",
                reasonCode, reason);
        close(reasonCode, reason);
    }

    @Override
    public String clientId() {
        return params == null ? null : params.clientId();
    }

    @Override
    public ConnectionInfo info() {
        ClientIdentity who = identity;
        return new ConnectionInfo(version.level(), who == null ? null : who.authenticationName(),
                hostAndPort(remote()), transport.listener(), connectedAtMillis, params.keepAliveSeconds(),
                params.cleanStart());
    }

    /** {@code 10.0.0.7:50944}, {@code [::1]:50944}: an address as people write it (not Java's "/10.0.0.7:50944"). */
    static String hostAndPort(SocketAddress a) {
        if (a instanceof java.net.InetSocketAddress i && i.getAddress() != null) {
            String host = i.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public void disconnect(ReasonCode reasonCode, String reason) {
        LOG.info("Client {}: disconnected by the broker's operator with {}: {}", LogText.escape(clientId()),
                reasonCode, LogText.escape(reason));
        close(reasonCode, reason);
    }

    /**
     * Writes (flushed with its batch). Past the high water mark it flushes at once: bytes written but
     * not flushed are not the client's fault, and only what the client's socket refuses may count as
     * the client not keeping up (publishers waiting, QoS 0 dropped at the hard bound). Once the socket
     * refuses, a flush returns at once until it takes data again.
     */
    void write(ByteBuf buf) {
        protocol.metrics.bytesSent.add(buf.readableBytes());
        ctx.write(buf, ctx.voidPromise());
        if (ctx.channel().isWritable()) {
            needsFlush = true;
        } else {
            needsFlush = false;
            ctx.flush();
        }
    }

    /** Sends an acknowledgement that waits for nothing, after any still waiting for storage. */
    void sendAck(MqttPacket ack) {
        if (acks == null) {
            send(ack);
        } else {
            acks.send(ack);
        }
    }

    /** Acknowledgements, in order, some waiting for storage. */
    DurableAcks acks() {
        if (acks == null) {
            acks = new DurableAcks(this);
        }
        return acks;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    boolean isActive() {
        return ctx.channel().isActive();
    }

    SocketAddress remote() {
        return ctx.channel().remoteAddress();
    }
}
