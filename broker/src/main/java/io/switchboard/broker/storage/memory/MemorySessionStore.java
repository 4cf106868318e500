package io.switchboard.broker.storage.memory;

import io.switchboard.broker.storage.MessageQueue;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.SessionStore;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Session records and queues in maps. */
final class MemorySessionStore implements SessionStore {
    private final ConcurrentHashMap<String, SessionRecord> records = new ConcurrentHashMap<>();

    @Override
    public void save(SessionRecord record) {
        records.put(record.clientId(), record);
    }

    @Override
    public void delete(String clientId) {
        records.remove(clientId); // the queue is the session's own object: it goes with the session
    }

    @Override
    public Collection<SessionRecord> loadAll() {
        return List.copyOf(records.values());
    }

    @Override
    public MessageQueue queue(String clientId) {
        // In memory the queue lives as long as the session that holds it; nothing else needs to find it.
        return new MemoryMessageQueue();
    }
}
