package io.switchboard.security;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.switchboard.testkit.TestPki;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT client of a library we did not write (HiveMQ MQTT Client or Eclipse Paho, 3.1.1 or 5),
 * behind one small interface so that a scenario runs on each, reporting what came on the wire:
 * the CONNACK code and reason string, the SUBACK codes, the PUBACK code, the broker's DISCONNECT.
 * Not connected when made.
 */
interface WireClient extends AutoCloseable {
    long TIMEOUT_SECONDS = 10;

    enum Library { HIVEMQ, PAHO }

    /**
     * Where and as whom a client connects: a listener's port, over TLS (trusting {@code pki}'s CA,
     * presenting {@code certificate} when not null) when {@code pki} is not null, else plain TCP;
     * a user name and password when not null.
     */
    record Endpoint(int port, TestPki pki, TestPki.Identity certificate, String user, String password) {
        static Endpoint tls(SecureBroker b, String listener, TestPki.Identity certificate) {
            return new Endpoint(b.broker.port(listener), b.pki, certificate, null, null);
        }

        static Endpoint tcp(SecureBroker b) {
            return new Endpoint(b.broker.port("tcp"), null, null, null, null);
        }

        Endpoint login(String u, String p) {
            return new Endpoint(port, pki, certificate, u, p);
        }
    }

    /** A CONNACK: code 0 accepted, else the 5.0 reason code or the 3.1.1 return code; the reason string (5.0) or null. */
    record ConnAck(int code, String reason) {
    }

    record Received(String topic, String payload) {
    }

    /** Connects with Clean Start; a refusal is returned, not thrown. */
    ConnAck connect() throws Exception;

    /** One SUBSCRIBE of all {@code filters} at {@code qos}: the SUBACK's code for each. */
    List<Integer> subscribe(int qos, String... filters) throws Exception;

    /**
     * Publishes and waits for the flow to end: the PUBACK / PUBREC reason code (5.0; 0 in 3.1.1 and
     * for QoS 0). Throws when the connection is lost first.
     */
    int publish(String topic, String payload, int qos) throws Exception;

    boolean isConnected();

    /** Completes when the broker ends the connection: with the DISCONNECT's reason code (5.0), else -1. */
    CompletableFuture<Integer> closedByBroker();

    BlockingQueue<Received> inbox();

    /** The next message received; fails after {@value #TIMEOUT_SECONDS} s. */
    default Received next() throws InterruptedException {
        Received r = inbox().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + TIMEOUT_SECONDS + " s");
        }
        return r;
    }

    static WireClient create(Library library, int version, String clientId, Endpoint e) throws Exception {
        if (version != 3 && version != 5) {
            throw new IllegalArgumentException("version 3 (3.1.1) or 5");
        }
        if (library == Library.HIVEMQ) {
            return version == 3 ? new HiveMqWireClients.Hive3(clientId, e) : new HiveMqWireClients.Hive5(clientId, e);
        }
        return version == 3 ? new PahoWireClients.Paho3(clientId, e) : new PahoWireClients.Paho5(clientId, e);
    }

    /** The inbox and the broker's close, which every adapter keeps. */
    abstract class Base implements WireClient {
        final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public BlockingQueue<Received> inbox() {
            return inbox;
        }

        @Override
        public CompletableFuture<Integer> closedByBroker() {
            return closed;
        }

        static MqttClientSslConfig ssl(Endpoint e) {
            var b = MqttClientSslConfig.builder().trustManagerFactory(e.pki().trustManagerFactory());
            return (e.certificate() == null ? b : b.keyManagerFactory(TestPki.keyManagerFactory(e.certificate())))
                    .build();
        }

        static String uri(Endpoint e) {
            return (e.pki() == null ? "tcp" : "ssl") + "://localhost:" + e.port();
        }
    }
}
