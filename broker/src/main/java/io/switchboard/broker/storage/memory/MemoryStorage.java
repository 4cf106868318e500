package io.switchboard.broker.storage.memory;

import io.switchboard.broker.storage.RetainedStore;
import io.switchboard.broker.storage.SessionStore;
import io.switchboard.broker.storage.Storage;

/** The in-memory storage: the reference implementation; nothing survives a restart. */
public final class MemoryStorage implements Storage {
    private final MemoryRetainedStore retained = new MemoryRetainedStore();
    private final MemorySessionStore sessions = new MemorySessionStore();

    @Override
    public RetainedStore retained() {
        return retained;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public String describe() {
        return "in memory (state is lost on restart)";
    }

    @Override
    public void close() {
    }
}
