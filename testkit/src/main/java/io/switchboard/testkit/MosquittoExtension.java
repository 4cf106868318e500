package io.switchboard.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MosquittoBroker} for a test class: started before its first test, stopped after its
 * last. {@code @RegisterExtension static final MosquittoExtension MOSQUITTO = new MosquittoExtension();}
 */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback {
    private MosquittoBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = MosquittoBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public MosquittoBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("Mosquitto is not running: register the extension with @RegisterExtension");
        }
        return broker;
    }

    public String host() {
        return broker().host();
    }

    public int port() {
        return broker().port();
    }
}
