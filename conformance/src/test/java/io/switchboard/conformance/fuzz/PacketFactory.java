package io.switchboard.conformance.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Well-formed packets of every type, for MQTT 3.1, 3.1.1 and 5.0, drawn from a seeded {@link Random}
 * and encoded with the project's codec: the raw material the {@link Mutator} breaks. 5.0 packets
 * carry the properties their type allows (user properties, response topic, correlation data, topic
 * alias, subscription identifiers and the rest), chosen at random.
 *
 * <p>Every string may contain {@link #MARK}, three ASCII bytes the mutator replaces with ill-formed
 * UTF-8 of the same length, so a string can be broken without breaking the lengths around it.
 * Topic names and filters come from a small fixed set, mostly under {@code fuzz/}, with some the
 * broker refuses (wildcards in names, bad filters). No fuzz packet can publish on the well-behaved
 * clients' topic, whose name has a random suffix; but a subscription to {@code #} receives their
 * messages, so fuzz connections also take deliveries they never acknowledge.
 */
final class PacketFactory {
    /** Three bytes the mutator replaces with ill-formed UTF-8. */
    static final String MARK = "ZZZ";

    private static final String[] TOPICS = {"fuzz/a", "fuzz/b/c", "fuzz/" + MARK, "fuzz/a/b/c/d/e/f/g",
        "fuzz", "$fuzz/x", "fuzz/\u00e9t\u00e9/\u4e16\u754c", "fuzz//empty//levels", "fuzz/" + MARK + "/x",
        "fuzz/+/wildcard", "fuzz/#"};
    private static final String[] FILTERS = {"fuzz/#", "#", "+/+", "fuzz/+/c", "$SYS/#", "$share/g/fuzz/a",
        "fuzz/" + MARK, "fuzz/a", "+", "fuzz/a/#", "fuzz/#/bad", "fuzz/a+", "", "fuzz/+/" + MARK + "/#"};
    private static final int CLIENT_IDS = 64;

    private final Random rnd;
    private final MqttVersion version;

    PacketFactory(Random rnd, MqttVersion version) {
        this.rnd = rnd;
        this.version = version;
    }

    MqttVersion version() {
        return version;
    }

    /** Encodes with the codec, as the broker would read it. */
    byte[] encode(MqttPacket p) {
        ByteBuf buf = MqttCodec.encode(p, version, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    // ---- CONNECT ------------------------------------------------------------------------------

    /**
     * A CONNECT that the broker accepts (or, rarely, refuses for a reason it is allowed to: an
     * Authentication Method, a small Maximum Packet Size is accepted). Client ids come from a pool
     * shared by all fuzz connections, so sessions are taken over while they are being fuzzed.
     */
    ConnectPacket connect() {
        String clientId = clientId();
        Will will = chance(30) ? will() : null;
        String username = chance(20) ? "user-" + MARK : null;
        byte[] password = chance(20) && (username != null || version.isV5()) ? bytes(rnd.nextInt(12)) : null;
        int keepAlive = chance(10) ? 1 + rnd.nextInt(3) : chance(50) ? 0 : 60 + rnd.nextInt(600);
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            Properties.Builder b = Properties.builder();
            if (chance(40)) {
                b.sessionExpiryInterval(pick(0L, 1L, 3L, 60L, 0xFFFF_FFFFL));
            }
            if (chance(30)) {
                b.receiveMaximum(1 + rnd.nextInt(chance(50) ? 4 : 65_535));
            }
            if (chance(20)) {
                b.maximumPacketSize(pick(20L, 64L, 512L, 65_536L, 0xFFFF_FFFFL));
            }
            if (chance(30)) {
                b.topicAliasMaximum(rnd.nextInt(40));
            }
            if (chance(20)) {
                b.requestProblemInformation(rnd.nextInt(2));
            }
            if (chance(20)) {
                b.requestResponseInformation(rnd.nextInt(2));
            }
            if (chance(3)) {
                b.authenticationMethod("SCRAM-" + MARK).authenticationData(bytes(8));
            }
            userProperties(b);
            props = b.build();
        }
        return new ConnectPacket(version, chance(60), keepAlive, clientId, will, username, password, props);
    }

    private String clientId() {
        if (chance(8) && version != MqttVersion.V3_1) {
            return "";
        }
        String id = "fuzz-" + rnd.nextInt(CLIENT_IDS);
        return chance(10) ? id + "-" + MARK : id;
    }

    private Will will() {
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            Properties.Builder b = Properties.builder();
            if (chance(30)) {
                b.willDelayInterval(pick(0L, 1L, 2L));
            }
            publicationProperties(b);
            props = b.build();
        }
        return new Will(topic(), payload(), rnd.nextInt(3), chance(20), props);
    }

    // ---- the packets a client sends ----------------------------------------------------------

    /** A well-formed packet of a type a client may send after CONNECT (DISCONNECT rarely). */
    MqttPacket clientPacket() {
        int r = rnd.nextInt(100);
        if (r < 40) {
            return publish();
        } else if (r < 55) {
            return ack(PacketType.values()[PacketType.PUBACK.ordinal() + rnd.nextInt(4)]);
        } else if (r < 70) {
            return subscribe();
        } else if (r < 80) {
            return unsubscribe();
        } else if (r < 95) {
            return PingreqPacket.INSTANCE;
        } else {
            return disconnect();
        }
    }

    /** A well-formed packet of any type, including the ones only a server sends. */
    MqttPacket anyPacket() {
        return switch (rnd.nextInt(15)) {
            case 0 -> connect();
            case 1 -> connack();
            case 2, 3, 4 -> publish();
            case 5 -> ack(PacketType.PUBACK);
            case 6 -> ack(PacketType.PUBREC);
            case 7 -> ack(PacketType.PUBREL);
            case 8 -> ack(PacketType.PUBCOMP);
            case 9 -> subscribe();
            case 10 -> chance(50) ? suback() : unsuback();
            case 11 -> unsubscribe();
            case 12 -> chance(50) ? PingreqPacket.INSTANCE : PingrespPacket.INSTANCE;
            case 13 -> disconnect();
            default -> version.isV5() ? auth() : publish();
        };
    }

    PublishPacket publish() {
        int qos = rnd.nextInt(3);
        String topic = topic();
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            Properties.Builder b = Properties.builder();
            publicationProperties(b);
            if (chance(25)) {
                b.topicAlias(1 + rnd.nextInt(40));
                if (chance(40)) {
                    topic = ""; // use an alias, set earlier or not
                }
            }
            if (chance(3)) {
                b.subscriptionIdentifier(1 + rnd.nextInt(1000)); // not allowed from a client: 0x82
            }
            props = b.build();
        }
        return new PublishPacket(topic, qos, chance(10), qos > 0 && chance(10), qos == 0 ? 0 : packetId(), props,
                payload());
    }

    SubscribePacket subscribe() {
        List<TopicSubscription> subs = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            subs.add(version.isV5()
                    ? new TopicSubscription(filter(), rnd.nextInt(3), chance(20), chance(20), rnd.nextInt(3))
                    : new TopicSubscription(filter(), rnd.nextInt(3)));
        }
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            Properties.Builder b = Properties.builder();
            if (chance(40)) {
                b.subscriptionIdentifier(1 + rnd.nextInt(chance(50) ? 10 : 268_435_455));
            }
            userProperties(b);
            props = b.build();
        }
        return new SubscribePacket(packetId(), subs, props);
    }

    UnsubscribePacket unsubscribe() {
        List<String> filters = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            filters.add(filter());
        }
        return new UnsubscribePacket(packetId(), filters, userPropertiesOnly());
    }

    MqttPacket ack(PacketType type) {
        int id = packetId();
        ReasonCode rc = version.isV5() && chance(40) ? reasonCode(type) : ReasonCode.SUCCESS;
        Properties props = version.isV5() ? ackProperties() : Properties.EMPTY;
        return switch (type) {
            case PUBACK -> new PubackPacket(id, rc, props);
            case PUBREC -> new PubrecPacket(id, rc, props);
            case PUBREL -> new PubrelPacket(id, rc, props);
            default -> new PubcompPacket(id, rc, props);
        };
    }

    DisconnectPacket disconnect() {
        if (!version.isV5()) {
            return DisconnectPacket.NORMAL;
        }
        Properties.Builder b = Properties.builder();
        if (chance(30)) {
            b.sessionExpiryInterval(pick(0L, 5L, 0xFFFF_FFFFL));
        }
        if (chance(20)) {
            b.reasonString("bye " + MARK);
        }
        if (chance(10)) {
            b.serverReference("elsewhere");
        }
        userProperties(b);
        return new DisconnectPacket(chance(50) ? ReasonCode.NORMAL_DISCONNECTION : reasonCode(PacketType.DISCONNECT),
                b.build());
    }

    // ---- the packets only a server sends (a Protocol Error from a client) ----------------------

    ConnackPacket connack() {
        ReasonCode rc = chance(50) ? ReasonCode.SUCCESS : reasonCode(PacketType.CONNACK);
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            Properties.Builder b = Properties.builder().assignedClientIdentifier("id-" + MARK);
            if (chance(50)) {
                b.serverKeepAlive(rnd.nextInt(100)).maximumQos(rnd.nextInt(2)).retainAvailable(rnd.nextInt(2))
                        .topicAliasMaximum(rnd.nextInt(10)).responseInformation("ri").sharedSubscriptionAvailable(0);
            }
            props = b.build();
        }
        return new ConnackPacket(chance(50), rc, props);
    }

    SubackPacket suback() {
        return new SubackPacket(packetId(), List.of(reasonCode(PacketType.SUBACK)), ackProperties());
    }

    UnsubackPacket unsuback() {
        return new UnsubackPacket(packetId(), version.isV5() ? List.of(reasonCode(PacketType.UNSUBACK)) : List.of(),
                ackProperties());
    }

    AuthPacket auth() {
        return new AuthPacket(reasonCode(PacketType.AUTH), Properties.builder().authenticationMethod("m-" + MARK)
                .authenticationData(bytes(4)).reasonString("r").build());
    }

    // ---- parts ----------------------------------------------------------------------------------

    /** Payload Format Indicator, Message Expiry, Content Type, Response Topic, Correlation Data, User Properties. */
    private void publicationProperties(Properties.Builder b) {
        if (chance(20)) {
            b.payloadFormatIndicator(rnd.nextInt(2));
        }
        if (chance(20)) {
            b.messageExpiryInterval(pick(0L, 1L, 60L, 0xFFFF_FFFFL));
        }
        if (chance(20)) {
            b.contentType("text/" + MARK);
        }
        if (chance(25)) {
            b.responseTopic(chance(90) ? "fuzz/reply/" + MARK : "fuzz/+/wild");
        }
        if (chance(25)) {
            b.correlationData(bytes(rnd.nextInt(20)));
        }
        userProperties(b);
    }

    private Properties ackProperties() {
        if (!version.isV5()) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        if (chance(30)) {
            b.reasonString("because " + MARK);
        }
        userProperties(b);
        return b.build();
    }

    private Properties userPropertiesOnly() {
        if (!version.isV5()) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        userProperties(b);
        return b.build();
    }

    private void userProperties(Properties.Builder b) {
        if (chance(30)) {
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.userProperty(chance(30) ? "k" : "key-" + MARK, chance(30) ? "" : "value-" + i + MARK);
            }
        }
    }

    String topic() {
        return TOPICS[rnd.nextInt(TOPICS.length)];
    }

    String filter() {
        return FILTERS[rnd.nextInt(FILTERS.length)];
    }

    private ReasonCode reasonCode(PacketType type) {
        ReasonCode[] codes = Arrays.stream(ReasonCode.values()).filter(rc -> rc.allowedIn(type))
                .toArray(ReasonCode[]::new);
        return codes[rnd.nextInt(codes.length)];
    }

    /** Mostly small ids, which collide with the ids the broker uses towards the same client. */
    int packetId() {
        return chance(80) ? 1 + rnd.nextInt(16) : 1 + rnd.nextInt(65_535);
    }

    private Payload payload() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Payload.EMPTY;
            case 1 -> Payload.utf8("payload " + MARK);
            case 2 -> Payload.wrap(bytes(1 + rnd.nextInt(64)));
            default -> Payload.wrap(bytes(1 + rnd.nextInt(chance(10) ? 4000 : 300)));
        };
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[rnd.nextInt(values.length)];
    }
}
