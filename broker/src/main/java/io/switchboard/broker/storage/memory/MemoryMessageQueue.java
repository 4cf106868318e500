package io.switchboard.broker.storage.memory;

import io.switchboard.broker.storage.InflightMessage;
import io.switchboard.broker.storage.MessageQueue;
import io.switchboard.broker.message.QueuedMessage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;

/** A deque of waiting messages and an insertion-ordered map of those in flight. Not thread-safe by design. */
final class MemoryMessageQueue implements MessageQueue {
    private final ArrayDeque<QueuedMessage> waiting = new ArrayDeque<>();
    private final LinkedHashMap<Integer, InflightMessage> inflight = new LinkedHashMap<>();
    private long waitingBytes;

    @Override
    public void append(QueuedMessage message) {
        waiting.addLast(message);
        waitingBytes += message.message().weight();
    }

    @Override
    public QueuedMessage poll() {
        QueuedMessage m = waiting.pollFirst();
        if (m != null) {
            waitingBytes -= m.message().weight();
        }
        return m;
    }

    @Override
    public int waitingCount() {
        return waiting.size();
    }

    @Override
    public long waitingBytes() {
        return waitingBytes;
    }

    @Override
    public void putInflight(InflightMessage message) {
        inflight.put(message.packetId(), message);
    }

    @Override
    public InflightMessage inflight(int packetId) {
        return inflight.get(packetId);
    }

    @Override
    public InflightMessage removeInflight(int packetId) {
        return inflight.remove(packetId);
    }

    @Override
    public Collection<InflightMessage> inflight() {
        return Collections.unmodifiableCollection(inflight.values());
    }

    @Override
    public int inflightCount() {
        return inflight.size();
    }

    @Override
    public void clear() {
        waiting.clear();
        inflight.clear();
        waitingBytes = 0;
    }
}
