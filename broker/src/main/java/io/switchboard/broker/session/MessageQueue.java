package io.switchboard.broker.session;

import io.switchboard.broker.message.QueuedMessage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The outbound messages of one session: those waiting to be sent, in order, and those in flight,
 * by packet id, in the order they were sent. Confined to the session's event loop; in memory
 * whatever the storage (durable storage is told of each change by the {@link Outbox}).
 */
final class MessageQueue {
    // Created on first use: most sessions never queue anything, and an empty deque and map cost ~200 bytes.
    private ArrayDeque<QueuedMessage> waiting;
    private LinkedHashMap<Integer, InflightMessage> inflight;
    private long waitingBytes;

    void append(QueuedMessage message) {
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        waiting.addLast(message);
        waitingBytes += message.message().weight();
    }

    QueuedMessage poll() {
        QueuedMessage m = waiting == null ? null : waiting.pollFirst();
        if (m != null) {
            waitingBytes -= m.message().weight();
        }
        return m;
    }

    int waitingCount() {
        return waiting == null ? 0 : waiting.size();
    }

    long waitingBytes() {
        return waitingBytes;
    }

    void putInflight(InflightMessage message) {
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        inflight.put(message.packetId(), message);
    }

    InflightMessage inflight(int packetId) {
        return inflight == null ? null : inflight.get(packetId);
    }

    InflightMessage removeInflight(int packetId) {
        return inflight == null ? null : inflight.remove(packetId);
    }

    Collection<InflightMessage> inflight() {
        return inflight == null ? List.of() : Collections.unmodifiableCollection(inflight.values());
    }

    int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    void clear() {
        waiting = null;
        inflight = null;
        waitingBytes = 0;
    }
}
