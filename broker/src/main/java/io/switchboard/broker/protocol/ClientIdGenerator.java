package io.switchboard.broker.protocol;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Assigned client identifiers ([MQTT-3.1.3-6]): "auto-" and 24 random hex digits, unguessable so
 * that nobody can take over a session by guessing its id. The generator is a DRBG seeded once when
 * the broker starts, so producing an id reads no file on the event loop.
 */
public final class ClientIdGenerator {
    private final SecureRandom random;

    public ClientIdGenerator() {
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            r = new SecureRandom();
        }
        r.nextBytes(new byte[1]); // seed now, off the event loops
        this.random = r;
    }

    public String next() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return "auto-" + HexFormat.of().formatHex(b);
    }
}
