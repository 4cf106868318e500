package io.switchboard.broker.session;

import io.netty.channel.DefaultEventLoop;
import io.switchboard.broker.BrokerContext;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.storage.memory.MemoryStorage;
import java.time.Clock;

/** Real sessions for unit tests of the structures that hold them (not attached to any connection). */
public final class TestSessions {
    private static final BrokerContext CONTEXT = new BrokerContext(BrokerConfig.defaults(), new MemoryStorage(),
            Clock.systemUTC());
    private static final DefaultEventLoop LOOP = new DefaultEventLoop();

    private TestSessions() {
    }

    public static Session create(String clientId) {
        return new Session(clientId, LOOP, CONTEXT);
    }
}
