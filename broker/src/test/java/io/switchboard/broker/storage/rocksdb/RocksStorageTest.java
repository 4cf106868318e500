package io.switchboard.broker.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.broker.config.StorageConfig;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageOpenException;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The RocksDB store on its own: what is written is read back as it was, once, and nothing more. */
class RocksStorageTest {
    @TempDir
    Path dir;

    private RocksStorage open(String durability) {
        return RocksStorage.open(StorageConfig.rocksdb(dir.toString(), durability), Clock.systemUTC());
    }

    private static Message message(String topic, String payload) {
        Properties props = Properties.builder().contentType("text/plain").responseTopic("reply/here")
                .correlationData(new byte[] {1, 2, 3})
                .userProperties(List.of(new UserProperty("k", "v"), new UserProperty("k", "w"))).build();
        return new Message(topic, 2, false, Payload.utf8(payload), props, "publisher", 1234L);
    }

    private static void commit(StorageBatch b) throws Exception {
        b.commit(Runnable::run).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Keys per column family, read straight from RocksDB. */
    private Map<String, Integer> keyCounts() throws Exception {
        List<String> names = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] n : RocksDB.listColumnFamilies(o, dir.toString())) {
                names.add(new String(n, StandardCharsets.UTF_8));
            }
        }
        List<ColumnFamilyDescriptor> descriptors = names.stream()
                .map(n -> new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8))).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < names.size(); i++) {
                int n = 0;
                try (RocksIterator it = db.newIterator(handles.get(i))) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        n++;
                    }
                }
                counts.put(names.get(i), n);
                handles.get(i).close();
            }
        }
        return counts;
    }

    @Test
    void everythingWrittenIsReadBackAndAMessageIsStoredOnceForAllItsDeliveries() throws Exception {
        Message m = message("a/b", "hello");
        Will will = new Will("wills/x", Payload.utf8("gone"), 1, true,
                Properties.builder().willDelayInterval(30L).build());
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            for (String id : List.of("x", "y", "z")) {
                b.putSession(new SessionRecord(id, 600, 0, id.equals("x") ? will : null, "alice", "default"));
                b.putSubscription(id, new SubscriptionRecord("a/#", 2, true, true, 1, 7));
                b.addDelivery(id, new QueuedMessage(m, 2, false, List.of(7), null, true));
            }
            b.addDelivery("x", new QueuedMessage(m, 1, false, List.of(), "$share/g/a/#", true));
            b.updateDelivery("y", new QueuedMessage(m, 2, false, List.of(7), null, true), 42, true);
            b.addPendingPubrel("z", 9);
            b.putRetained(m);
            commit(b);
        }
        assertThat(keyCounts()).containsEntry("messages", 1).containsEntry("deliveries", 4)
                .containsEntry("sessions", 3).containsEntry("subscriptions", 3).containsEntry("pubrels", 1)
                .containsEntry("retained", 1);
        try (RocksStorage s = open("sync")) {
            StoredState state = s.recover();
            assertThat(state.lastAliveMillis()).isPositive();
            assertThat(state.sessions()).hasSize(3);
            StoredState.StoredSession x = state.sessions().stream().filter(ss -> ss.record().clientId().equals("x"))
                    .findFirst().orElseThrow();
            assertThat(x.record().will().topic()).isEqualTo("wills/x");
            assertThat(x.record().will().properties().willDelayInterval()).isEqualTo(30L);
            assertThat(x.record().authenticationName()).isEqualTo("alice");
            assertThat(x.subscriptions()).containsExactly(new SubscriptionRecord("a/#", 2, true, true, 1, 7));
            assertThat(x.deliveries()).hasSize(2);
            assertThat(x.deliveries()).extracting(d -> d.message().sharedFilter()).containsExactlyInAnyOrder(null,
                    "$share/g/a/#");
            StoredState.StoredSession y = state.sessions().stream().filter(ss -> ss.record().clientId().equals("y"))
                    .findFirst().orElseThrow();
            assertThat(y.deliveries().get(0).packetId()).isEqualTo(42);
            assertThat(y.deliveries().get(0).released()).isTrue();
            StoredState.StoredSession z = state.sessions().stream().filter(ss -> ss.record().clientId().equals("z"))
                    .findFirst().orElseThrow();
            assertThat(z.pendingPubrel()).containsExactly(9);
            // One message object behind every delivery, with its content intact.
            Message back = x.deliveries().get(0).message().message();
            assertThat(y.deliveries().get(0).message().message()).isSameAs(back);
            assertThat(back.topic()).isEqualTo("a/b");
            assertThat(back.payload().toUtf8String()).isEqualTo("hello");
            assertThat(back.properties().userProperties()).containsExactly(new UserProperty("k", "v"),
                    new UserProperty("k", "w"));
            assertThat(back.properties().correlationData()).containsExactly(1, 2, 3);
            assertThat(back.expiresAtMillis()).isEqualTo(1234L);
            assertThat(state.retained()).extracting(Message::topic).containsExactly("a/b");

            // The last delivery removed deletes the message; a deleted session takes all it had.
            StorageBatch b = s.batch();
            for (StoredState.StoredSession ss : state.sessions()) {
                for (StoredState.StoredDelivery d : ss.deliveries()) {
                    b.removeDelivery(ss.record().clientId(), d.message());
                }
            }
            b.deleteSession("z");
            b.deleteRetained("a/b");
            commit(b);
        }
        assertThat(keyCounts()).containsEntry("messages", 0).containsEntry("deliveries", 0)
                .containsEntry("sessions", 2).containsEntry("subscriptions", 2).containsEntry("pubrels", 0)
                .containsEntry("retained", 0);
    }

    @Test
    void aDeliveryAddedAndDoneWithinOneWriteLeavesNothingBehind() throws Exception {
        Message m = message("t", "quick");
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("a", 600, 0, null, null, null));
            b.putSession(new SessionRecord("b", 600, 0, null, null, null));
            QueuedMessage toA = new QueuedMessage(m, 2, false, List.of(), null, true);
            QueuedMessage toB = new QueuedMessage(m, 1, false, List.of(), null, true);
            b.addDelivery("a", toA);
            b.addDelivery("b", toB);
            b.updateDelivery("a", toA, 5, false);
            b.removeDelivery("a", toA); // acknowledged before the write came round
            commit(b);
        }
        assertThat(keyCounts()).containsEntry("messages", 1).containsEntry("deliveries", 1);
        try (RocksStorage s = open("sync")) {
            StoredState state = s.recover();
            assertThat(state.sessions()).filteredOn(ss -> ss.record().clientId().equals("b"))
                    .flatExtracting(StoredState.StoredSession::deliveries).hasSize(1);
            assertThat(state.sessions()).filteredOn(ss -> ss.record().clientId().equals("a"))
                    .flatExtracting(StoredState.StoredSession::deliveries).isEmpty();
        }
    }

    @Test
    void aDeliveryRemovedBeforeTheWriterTookItsAdditionIsNeverWritten() throws Exception {
        Message once = message("t", "one subscriber");
        Message twice = message("t", "two subscribers");
        try (RocksStorage s = open("sync")) {
            StorageBatch sessions = s.batch();
            sessions.putSession(new SessionRecord("a", 600, 0, null, null, null));
            sessions.putSession(new SessionRecord("b", 600, 0, null, null, null));
            commit(sessions);
            // The publisher's batch, still on its event loop (not yet committed, so not yet taken).
            StorageBatch publisher = s.batch();
            QueuedMessage toA = new QueuedMessage(once, 1, false, List.of(), null, true);
            QueuedMessage twiceToA = new QueuedMessage(twice, 1, false, List.of(), null, true);
            QueuedMessage twiceToB = new QueuedMessage(twice, 1, false, List.of(), null, true);
            publisher.addDelivery("a", toA);
            publisher.addDelivery("a", twiceToA);
            publisher.addDelivery("b", twiceToB);
            // The subscribers acknowledge: A's first delivery cancels its pending addition (its batch
            // has nothing to write); B's is not the message's first pending addition, so it is written.
            StorageBatch ackA = s.batch();
            ackA.removeDelivery("a", toA);
            assertThat(ackA.isEmpty()).isTrue();
            StorageBatch ackB = s.batch();
            ackB.removeDelivery("b", twiceToB);
            assertThat(ackB.isEmpty()).isFalse();
            // A removal for another session's delivery of the same message cancels nothing.
            StorageBatch other = s.batch();
            other.removeDelivery("b", twiceToA);
            assertThat(other.isEmpty()).isFalse();
            commit(publisher);
            commit(ackA);
            commit(ackB);
        }
        // Left: A's delivery of the second message, and that message once.
        assertThat(keyCounts()).containsEntry("messages", 1).containsEntry("deliveries", 1);
        try (RocksStorage s = open("sync")) {
            StoredState state = s.recover();
            assertThat(state.sessions()).filteredOn(ss -> ss.record().clientId().equals("a"))
                    .flatExtracting(StoredState.StoredSession::deliveries)
                    .extracting(d -> d.message().message().payload().toUtf8String()).containsExactly("two subscribers");
            // Written once the writer took it: its removal is written too.
            StorageBatch b = s.batch();
            StoredState.StoredSession a = state.sessions().stream().filter(ss -> ss.record().clientId().equals("a"))
                    .findFirst().orElseThrow();
            b.removeDelivery("a", a.deliveries().get(0).message());
            assertThat(b.isEmpty()).isFalse();
            commit(b);
        }
        assertThat(keyCounts()).containsEntry("messages", 0).containsEntry("deliveries", 0);
    }

    @Test
    void aDeliveryRemovedAfterItsAdditionWasWrittenIsRemoved() throws Exception {
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("a", 600, 0, null, null, null));
            QueuedMessage q = new QueuedMessage(message("t", "written"), 1, false, List.of(), null, true);
            b.addDelivery("a", q);
            commit(b); // durable: the writer took the addition
            StorageBatch ack = s.batch();
            ack.removeDelivery("a", q);
            assertThat(ack.isEmpty()).isFalse();
            commit(ack);
        }
        assertThat(keyCounts()).containsEntry("messages", 0).containsEntry("deliveries", 0);
    }

    @Test
    void whatNothingRefersToIsDeletedWhenReadBack() throws Exception {
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("kept", 600, 0, null, null, null));
            b.addDelivery("kept", new QueuedMessage(message("t", "kept"), 1, false, List.of(), null, true));
            // A delivery and a subscription for a session that was deleted (as a crash between writes may leave).
            b.addDelivery("gone", new QueuedMessage(message("t", "orphan"), 1, false, List.of(), null, true));
            b.putSubscription("gone", new SubscriptionRecord("t", 1, false, false, 0, 0));
            b.addPendingPubrel("gone", 3);
            commit(b);
        }
        try (RocksStorage s = open("sync")) {
            StoredState state = s.recover();
            assertThat(state.sessions()).hasSize(1);
            assertThat(state.sessions().get(0).deliveries()).hasSize(1);
        }
        assertThat(keyCounts()).containsEntry("messages", 1).containsEntry("deliveries", 1)
                .containsEntry("subscriptions", 0).containsEntry("pubrels", 0);
    }

    @Test
    void noneCompletesAtOnceAndCloseStillWritesEverything() throws Exception {
        try (RocksStorage s = open("none")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("n", 600, 0, null, null, null));
            assertThat(b.commit(Runnable::run).toCompletableFuture().isDone()).isTrue();
        }
        try (RocksStorage s = open("periodic")) {
            assertThat(s.recover().sessions()).extracting(ss -> ss.record().clientId()).containsExactly("n");
        }
    }

    @Test
    void anUnreadableRecordStopsStartUpSayingTheDirectoryIsCorrupt() throws Exception {
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("c", 600, 0, null, null, null));
            commit(b);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] n : RocksDB.listColumnFamilies(o, dir.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(n));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.open(o, dir.toString(), descriptors, handles)) {
            int sessions = descriptors.stream().map(d -> new String(d.getName(), StandardCharsets.UTF_8)).toList()
                    .indexOf("sessions");
            db.put(handles.get(sessions), "c".getBytes(StandardCharsets.UTF_8), new byte[] {1, 0, 0});
            handles.forEach(ColumnFamilyHandle::close);
        }
        assertThatThrownBy(() -> open("sync")).isInstanceOf(StorageOpenException.class)
                .hasMessageContaining("is corrupt: a stored session cannot be read")
                .hasMessageContaining("Restore it from a backup, or move it away");
    }

    @Test
    void aDamagedStoreStopsStartUpSayingTheDirectoryIsCorrupt() throws Exception {
        try (RocksStorage s = open("sync")) {
            StorageBatch b = s.batch();
            b.putSession(new SessionRecord("c", 600, 0, null, null, null));
            commit(b);
        }
        java.nio.file.Files.writeString(dir.resolve("CURRENT"), "garbage"); // RocksDB's pointer to its manifest
        assertThatThrownBy(() -> open("sync")).isInstanceOf(StorageOpenException.class)
                .hasMessageContaining("is corrupt").hasMessageContaining("move it away");
    }

    @Test
    void aSecondStorageOnTheSameDirectoryIsRefused() {
        try (RocksStorage s = open("sync")) {
            assertThatThrownBy(() -> open("sync")).isInstanceOf(StorageOpenException.class)
                    .hasMessageContaining("in use by another process");
        }
    }
}
