package io.switchboard.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the library's contract tests share: the broker under test (subclasses say which), and the
 * clients a test opens, all closed after it.
 */
abstract class BrokerTestSupport {
    private final List<AutoCloseable> open = new ArrayList<>();

    abstract String host();

    abstract int port();

    /** Subscriptions the broker holds now, or -1 when it cannot say. */
    int brokerSubscriptions() {
        return -1;
    }

    /** Closed after the test. */
    <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
