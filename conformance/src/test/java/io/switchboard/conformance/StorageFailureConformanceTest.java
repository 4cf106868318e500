package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static io.switchboard.conformance.Conformance.subscribeForSuback;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.StorageConfig;
import io.switchboard.broker.storage.rocksdb.RocksStorage;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When storage cannot write, the broker refuses what it could not store with the right reason code
 * and a reason string (5.0: 0x97 Quota exceeded for a full disk, 0x80 otherwise; 3.1.1 has no code,
 * so the connection is closed without an acknowledgement), harms nothing already stored, and works
 * again by itself once storage does. The fault is injected at the storage SPI boundary, over a real
 * RocksDB store.
 */
class StorageFailureConformanceTest {

    private static final class Setup implements AutoCloseable {
        final EmbeddedBroker broker = new EmbeddedBroker();
        FaultyStorage storage;

        Setup() {
            broker.durable();
            broker.with(b -> {
                storage = new FaultyStorage(RocksStorage.open(StorageConfig.rocksdb(broker.dataDir().toString(), "sync"),
                        Clock.systemUTC()));
                return b.storage(storage);
            });
            broker.start();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    @Test
    @DisplayName("5.0, disk full: QoS 1 gets PUBACK 0x97, QoS 2 PUBREC 0x97, SUBSCRIBE SUBACK 0x97, each with a reason "
            + "string; when space returns the same requests succeed, and what was stored before is intact after a restart")
    void diskFullIsQuotaExceededAndRecovers() {
        try (Setup s = new Setup()) {
            MqttVersion v = MqttVersion.V5;
            try (RawClient sub = connect(s.broker, persistent(v, "sf-sub", false), false)) {
                subscribe(sub, 1, "sf/#", 2);
                disconnect(sub);
            }
            try (RawClient pub = RawClient.connect(s.broker.port(), v, "sf-pub")) {
                pub.send(publishPacket("sf/a", 1, false, 1, "before"));
                assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

                s.storage.fail = FaultyStorage.diskFull();
                pub.send(publishPacket("sf/a", 1, false, 2, "refused"));
                PubackPacket refused = pub.expect(PubackPacket.class);
                assertThat(refused.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
                assertThat(refused.properties().reasonString()).contains("could not be stored").contains("disk is full");
                pub.send(publishPacket("sf/a", 2, false, 3, "refused2"));
                PubrecPacket rec = pub.expect(PubrecPacket.class);
                assertThat(rec.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
                try (RawClient other = connect(s.broker, persistent(v, "sf-other", false), false)) {
                    SubackPacket ack = subscribeForSuback(other, Properties.EMPTY, new TopicSubscription("sf/x", 1));
                    assertThat(ack.reasonCodes()).containsExactly(ReasonCode.QUOTA_EXCEEDED);
                    assertThat(ack.properties().reasonString()).contains("could not be stored");
                    s.storage.fail = null;
                    subscribe(other, 5, "sf/x", 1); // works again by itself
                }
                // A refused QoS 2 id is released: the client may use it again at once.
                pub.send(publishPacket("sf/a", 2, false, 3, "after"));
                assertThat(pub.expect(PubrecPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                pub.send(new io.switchboard.codec.packet.PubrelPacket(3));
                pub.expect(io.switchboard.codec.packet.PubcompPacket.class);
            }
            s.broker.restart();
            try (RawClient sub = connect(s.broker, persistent(v, "sf-sub", false), true)) {
                receive(sub, "sf/a", "before");
                // "refused" was refused (not acknowledged): the broker promised nothing about it, but it was not
                // stored, so after a restart it is not there; "refused2" likewise.
                receive(sub, "sf/a", "after");
                sub.expectNothingMore();
            }
        }
    }

    @Test
    @DisplayName("3.1.1, storage error: a QoS 1 PUBLISH that cannot be stored is not acknowledged; the connection is "
            + "closed (3.1.1 has no reason code) and the client, reconnecting, is served again once storage works")
    void v311ConnectionClosedWithoutAcknowledgement() {
        try (Setup s = new Setup()) {
            MqttVersion v = MqttVersion.V3_1_1;
            try (RawClient sub = connect(s.broker, persistent(v, "sf3-sub", false), false)) {
                subscribe(sub, 1, "sf3/#", 1);
                disconnect(sub);
            }
            s.storage.fail = FaultyStorage.ioError();
            try (RawClient pub = RawClient.connect(s.broker.port(), v, "sf3-pub")) {
                pub.send(publishPacket("sf3/a", 1, false, 1, "m"));
                pub.expectClosed();
            }
            s.storage.fail = null;
            try (RawClient pub = RawClient.connect(s.broker.port(), v, "sf3-pub")) {
                pub.send(publishPacket("sf3/a", 1, false, 1, "m"));
                assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(1);
            }
        }
    }
}
