package io.switchboard.broker.storage.memory;

import io.switchboard.broker.storage.InflightMessage;
import io.switchboard.broker.storage.MessageQueue;
import io.switchboard.broker.message.QueuedMessage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/** A deque of waiting messages and an insertion-ordered map of those in flight. Not thread-safe by design. */
final class MemoryMessageQueue implements MessageQueue {
    // Created on first use: most sessions never queue anything, and an empty deque and map cost ~200 bytes.
    private ArrayDeque<QueuedMessage> waiting;
    private LinkedHashMap<Integer, InflightMessage> inflight;
    private long waitingBytes;

    @Override
    public void append(QueuedMessage message) {
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        waiting.addLast(message);
        waitingBytes += message.message().weight();
    }

    @Override
    public QueuedMessage poll() {
        QueuedMessage m = waiting == null ? null : waiting.pollFirst();
        if (m != null) {
            waitingBytes -= m.message().weight();
        }
        return m;
    }

    @Override
    public int waitingCount() {
        return waiting == null ? 0 : waiting.size();
    }

    @Override
    public long waitingBytes() {
        return waitingBytes;
    }

    @Override
    public void putInflight(InflightMessage message) {
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        inflight.put(message.packetId(), message);
    }

    @Override
    public InflightMessage inflight(int packetId) {
        return inflight == null ? null : inflight.get(packetId);
    }

    @Override
    public InflightMessage removeInflight(int packetId) {
        return inflight == null ? null : inflight.remove(packetId);
    }

    @Override
    public Collection<InflightMessage> inflight() {
        return inflight == null ? List.of() : Collections.unmodifiableCollection(inflight.values());
    }

    @Override
    public int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    @Override
    public void clear() {
        waiting = null;
        inflight = null;
        waitingBytes = 0;
    }
}
