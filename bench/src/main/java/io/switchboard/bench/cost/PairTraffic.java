package io.switchboard.bench.cost;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.bench.ProcStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Point-to-point traffic of P pairs of MQTT 5 clients, all driven by one thread of this JVM over one
 * selector: the talker of each pair publishes to its pair's topic, which only the pair's listener
 * subscribes to. At most {@code window} messages of a pair are on their way at once: written but not
 * yet received by the listener, and, at QoS 1, not yet acknowledged by the broker either; each
 * PUBACK and each delivery lets the talker write more, a burst answered with one write. The listener
 * acknowledges a QoS 1 delivery at once (the PUBACKs of one read in one write).
 *
 * <p>A phase ({@link #run}) counts the deliveries read within its measured time, then stops
 * publishing and waits until every message written has been received (or was refused), so that the
 * next phase starts from nothing in flight. Each delivery is checked: its pair's topic, the phase's
 * QoS. A PUBACK with a reason code is counted ({@code 0x87}: denied), never taken for a delivery.
 */
final class PairTraffic implements AutoCloseable {
    /** How long the messages still on their way at the end of a phase may take. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SUBSCRIBE_ID = 1;

    private final Selector selector;
    private final List<Pair> pairs;
    private final int window;
    private final byte[] payload;
    private final long brokerPid;
    // the phase running, read by the handlers
    private int qos;
    private boolean measuring;
    private boolean stopped;
    private long totalWritten;
    private long maxMessages;
    private Throwable failure;

    /** What a phase did. Counts are sums over the pairs; the per-pair measured deliveries give the spread. */
    record Phase(int qos, long measured, double seconds, double perSecond, long written, long received, long acked,
            long denied, long otherAcks, long undelivered, long slowestPair, long fastestPair, Instant from, Instant to,
            ProcStats.Delta broker, ProcStats.Delta generator, String firstProblem) {
        /** Whether every message written was acknowledged (QoS 1) and delivered: the figure counts. */
        boolean clean() {
            return denied == 0 && otherAcks == 0 && undelivered == 0;
        }
    }

    private PairTraffic(Selector selector, int window, int payloadBytes, long brokerPid) {
        this.selector = selector;
        this.pairs = new ArrayList<>();
        this.window = window;
        this.payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        this.brokerPid = brokerPid;
    }

    /**
     * Connects every pair (user name = the authentication name, the client's password; Clean Start,
     * no session expiry, keep alive 0), subscribes each listener to its topic at QoS 1, and fails,
     * naming the client and the broker's reason, when a CONNECT or the SUBSCRIBE is not granted.
     */
    static PairTraffic connect(InetSocketAddress broker, long brokerPid, List<FleetPolicy.Pair> load, int window,
            int payloadBytes) throws IOException {
        PairTraffic t = new PairTraffic(Selector.open(), window, payloadBytes, brokerPid);
        try {
            for (FleetPolicy.Pair p : load) {
                Connection listener = handshake(broker, p.listener(), p.listenerPassword(), window);
                Connection talker;
                try {
                    listener.writeBlocking(Connection.encode(new SubscribePacket(SUBSCRIBE_ID,
                            List.of(new TopicSubscription(p.topic(), 1)), Properties.EMPTY)));
                    MqttPacket suback = listener.readBlocking();
                    if (!(suback instanceof SubackPacket s) || !s.reasonCodes().equals(List.of(ReasonCode.GRANTED_QOS_1))) {
                        throw new IOException(p.listener() + ": SUBSCRIBE " + p.topic() + " at QoS 1 not granted: " + suback);
                    }
                    talker = handshake(broker, p.talker(), p.talkerPassword(), window);
                } catch (IOException | RuntimeException e) {
                    listener.close();
                    throw e;
                }
                Pair pair = new Pair(p, talker, listener);
                t.pairs.add(pair);
                listener.register(t.selector, new Side(pair, false));
                talker.register(t.selector, new Side(pair, true));
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** CONNECT and a successful CONNACK, whose Receive Maximum admits the window. */
    static Connection handshake(InetSocketAddress broker, String name, byte[] password, int window) throws IOException {
        Connection c = Connection.open(name, broker);
        try {
            c.writeBlocking(Connection.encode(new ConnectPacket(MqttVersion.V5, true, 0, name, null, name, password,
                    Properties.EMPTY)));
            MqttPacket p = c.readBlocking();
            if (!(p instanceof ConnackPacket connack) || connack.reasonCode() != ReasonCode.SUCCESS) {
                throw new IOException(name + ": CONNECT refused: " + p);
            }
            Integer receiveMaximum = connack.properties().receiveMaximum();
            if (receiveMaximum != null && receiveMaximum < window) {
                throw new IOException("the broker's Receive Maximum is " + receiveMaximum + ", below the window " + window);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * One phase at {@code qos}: {@code warmupNanos} of traffic, then {@code measureNanos} counted, or
     * fewer once {@code maxMessages} have been written; then the messages still on their way are
     * awaited (at most 10 s). The CPU time of the broker's process and of this one is read over the
     * measured time. Throws when a client fails (the broker closed a connection, an unexpected packet).
     */
    Phase run(int phaseQos, long warmupNanos, long measureNanos, long maxMessageCount) throws IOException {
        qos = phaseQos;
        maxMessages = maxMessageCount;
        totalWritten = 0;
        measuring = false;
        stopped = false;
        for (Pair p : pairs) {
            p.start(phaseQos, payload, window);
        }
        long self = ProcessHandle.current().pid();
        long begin = System.nanoTime();
        long from = begin + warmupNanos;
        long to = from + measureNanos;
        long measureStart = 0;
        long measureEnd = 0;
        long drainDeadline = Long.MAX_VALUE;
        Instant fromInstant = null;
        Instant toInstant = null;
        ProcStats broker0 = null;
        ProcStats self0 = null;
        ProcStats broker1 = null;
        ProcStats self1 = null;
        for (Pair p : pairs) {
            refill(p);
        }
        while (failure == null) {
            long now = System.nanoTime();
            if (!measuring && now >= from) {
                measuring = true;
                measureStart = now;
                fromInstant = Instant.now();
                broker0 = ProcStats.read(brokerPid);
                self0 = ProcStats.read(self);
            }
            if (!stopped && (now >= to || totalWritten >= maxMessages)) {
                stopped = true;
                measureEnd = now;
                toInstant = Instant.now();
                broker1 = ProcStats.read(brokerPid);
                self1 = ProcStats.read(self);
                drainDeadline = now + DRAIN_NANOS;
            }
            if (stopped && (settled() || now >= drainDeadline)) {
                break;
            }
            selector.select(this::ready, 10);
            for (Pair p : pairs) {
                after(p);
            }
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        return phase(measuring ? measureEnd - measureStart : 0, fromInstant, toInstant,
                broker0 == null || broker1 == null ? null : broker1.since(broker0),
                self0 == null || self1 == null ? null : self1.since(self0));
    }

    private Phase phase(long measuredNanos, Instant from, Instant to, ProcStats.Delta broker, ProcStats.Delta generator) {
        long measured = 0;
        long written = 0;
        long received = 0;
        long acked = 0;
        long denied = 0;
        long other = 0;
        long undelivered = 0;
        long slowest = Long.MAX_VALUE;
        long fastest = 0;
        String problem = null;
        for (Pair p : pairs) {
            measured += p.measured;
            written += p.written;
            received += p.received;
            acked += p.acked;
            denied += p.denied;
            other += p.otherAcks;
            long missing = p.written - p.received - p.denied;
            undelivered += Math.max(0, missing);
            slowest = Math.min(slowest, p.measured);
            fastest = Math.max(fastest, p.measured);
            if (problem == null && p.problem != null) {
                problem = p.problem;
            } else if (problem == null && missing > 0) {
                problem = p.names.topic() + ": " + missing + " message(s) written and never delivered";
            }
        }
        double seconds = measuredNanos / 1e9;
        return new Phase(qos, measured, seconds, seconds > 0 ? measured / seconds : Double.NaN, written, received, acked,
                denied, other, undelivered, slowest, fastest, from, to, broker, generator, problem);
    }

    /** Every message written has been delivered or refused, and acknowledged (QoS 1); nothing waits to be written. */
    private boolean settled() {
        for (Pair p : pairs) {
            if (p.received + p.denied < p.written || p.acks > 0 || p.listener.blocked() || p.talker.blocked()
                    || (qos == 1 && p.acked + p.denied + p.otherAcks < p.written)) {
                return false;
            }
        }
        return true;
    }

    private void ready(SelectionKey key) {
        Side side = (Side) key.attachment();
        Connection c = side.talker ? side.pair.talker : side.pair.listener;
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isReadable()) {
                if (!c.fill()) {
                    throw new IOException(c.name + ": the broker closed the connection");
                }
                while (c.next()) {
                    if (side.talker) {
                        fromBroker(side.pair, c);
                    } else {
                        delivered(side.pair, c);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** A packet for the listener: a delivery of its pair's topic at the phase's QoS. */
    private void delivered(Pair p, Connection c) throws IOException {
        if (c.type() != 3) {
            throw unexpected(c, "a PUBLISH");
        }
        int q = c.flags() >> 1 & 3;
        if (q != qos) {
            throw new IOException(c.name + ": a delivery at QoS " + q + " in the QoS " + qos + " phase");
        }
        int topicLength = c.u16(0);
        if (topicLength != p.topic.length || !c.bodyHas(2, p.topic)) {
            throw new IOException(c.name + ": a delivery on another topic than " + p.names.topic());
        }
        p.received++;
        if (measuring && !stopped) {
            p.measured++;
        }
        if (q == 1) {
            int id = c.u16(2 + topicLength);
            if (p.acks + 4 > p.ackBytes.length) {
                p.ackBytes = Arrays.copyOf(p.ackBytes, p.ackBytes.length * 2);
            }
            byte[] a = p.ackBytes;
            a[p.acks] = 0x40; // PUBACK, remaining length 2: success, no properties
            a[p.acks + 1] = 2;
            a[p.acks + 2] = (byte) (id >> 8);
            a[p.acks + 3] = (byte) id;
            p.acks += 4;
        }
    }

    /** A packet for the talker: a PUBACK, with its reason code counted. */
    private void fromBroker(Pair p, Connection c) throws IOException {
        if (c.type() != 4 || qos != 1) {
            throw unexpected(c, qos == 1 ? "a PUBACK" : "nothing (QoS 0)");
        }
        int reason = c.bodyLength() > 2 ? c.u8(2) : 0;
        if (reason == 0) {
            p.acked++;
        } else if (reason == ReasonCode.NOT_AUTHORIZED.value()) {
            p.denied++;
            if (p.problem == null) {
                p.problem = p.names.talker() + ": PUBACK 0x87 Not authorized for " + p.names.topic();
            }
        } else {
            p.otherAcks++;
            if (p.problem == null) {
                p.problem = p.names.talker() + ": PUBACK with reason code 0x" + Integer.toHexString(reason) + " for "
                        + p.names.topic();
            }
        }
    }

    private static IOException unexpected(Connection c, String expected) {
        String what = "packet type " + c.type();
        if (c.type() == 14) {
            what = "DISCONNECT" + (c.bodyLength() > 0 ? " 0x" + Integer.toHexString(c.u8(0)) : "");
        }
        return new IOException(c.name + ": expected " + expected + ", received " + what);
    }

    /** After a round of reads: the listener's PUBACKs in one write, and the talker's next burst. */
    private void after(Pair p) {
        try {
            if (p.acks > 0 && !p.listener.blocked()) {
                p.listener.write(p.ackBytes, 0, p.acks);
                p.acks = 0;
            }
            if (!stopped) {
                refill(p);
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** As many PUBLISHes as the window allows, in one write. */
    private void refill(Pair p) throws IOException {
        if (p.talker.blocked()) {
            return;
        }
        long onTheirWay = p.written - p.received - p.denied;
        long unacknowledged = qos == 1 ? p.written - p.acked - p.denied - p.otherAcks : 0;
        long n = Math.min(window - Math.max(onTheirWay, unacknowledged), maxMessages - totalWritten);
        if (n <= 0) {
            return;
        }
        int k = (int) n;
        int len = p.template.length;
        if (qos == 1) {
            for (int i = 0; i < k; i++) {
                // in flight: the last `window` ids at most, never reused while unacknowledged
                p.lastId = p.lastId == 65_535 ? 1 : p.lastId + 1;
                p.burst[i * len + p.idOffset] = (byte) (p.lastId >> 8);
                p.burst[i * len + p.idOffset + 1] = (byte) p.lastId;
            }
        }
        p.talker.write(p.burst, 0, k * len);
        p.written += k;
        totalWritten += k;
    }

    /** Disconnects every client (DISCONNECT 0x00) and closes the selector. */
    @Override
    public void close() {
        byte[] disconnect = Connection.encode(DisconnectPacket.NORMAL);
        for (Pair p : pairs) {
            for (Connection c : new Connection[] {p.talker, p.listener}) {
                if (c != null) {
                    try {
                        if (!c.blocked()) {
                            c.write(disconnect, 0, disconnect.length);
                        }
                    } catch (IOException | RuntimeException e) {
                        // closing anyway
                    }
                    c.close();
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Which connection of which pair a selection key is. */
    private record Side(Pair pair, boolean talker) {
    }

    /** One pair's connections and counts; touched by the load's thread only. */
    private static final class Pair {
        final FleetPolicy.Pair names;
        final byte[] topic;
        final Connection talker;
        final Connection listener;
        byte[] template;
        byte[] burst;
        int idOffset;
        int lastId;
        long written;
        long acked;
        long denied;
        long otherAcks;
        long received;
        long measured;
        String problem;
        byte[] ackBytes = new byte[1024];
        int acks;

        Pair(FleetPolicy.Pair names, Connection talker, Connection listener) {
            this.names = names;
            this.topic = names.topic().getBytes(StandardCharsets.UTF_8);
            this.talker = talker;
            this.listener = listener;
        }

        /** A new phase: counts from zero, a burst of {@code window} PUBLISHes at {@code qos} ready to write. */
        void start(int qos, byte[] payload, int window) {
            template = Connection.encode(new PublishPacket(names.topic(), qos, false, false, qos == 0 ? 0 : 1,
                    Properties.EMPTY, Payload.wrap(payload)));
            burst = new byte[template.length * window];
            for (int i = 0; i < window; i++) {
                System.arraycopy(template, 0, burst, i * template.length, template.length);
            }
            idOffset = qos == 0 ? -1 : packetIdOffset(template, topic.length);
            written = 0;
            acked = 0;
            denied = 0;
            otherAcks = 0;
            received = 0;
            measured = 0;
            problem = null;
        }

        /** Where the packet identifier of an encoded QoS 1 PUBLISH is: after the fixed header and the topic. */
        private static int packetIdOffset(byte[] publish, int topicLength) {
            int i = 1;
            while ((publish[i] & 0x80) != 0) {
                i++;
            }
            int offset = i + 1 + 2 + topicLength;
            if (publish[offset] != 0 || publish[offset + 1] != 1) {
                throw new IllegalStateException("packet identifier 1 not found where expected in the encoded PUBLISH");
            }
            return offset;
        }
    }
}
