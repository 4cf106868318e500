package io.switchboard.security;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A broker as a user runs it with security: a configuration whose {@code security.policy} names a
 * policy file (found through the broker's ServiceLoader, as {@code switchboard broker} does), a TLS
 * listener that requires client certificates, one where they are optional (clients with a password)
 * and a plain TCP one; certificates made by {@link TestPki}, one per authentication name.
 */
final class SecureBroker {
    final TestPki pki;
    final Path policyFile;
    final EmbeddedBroker broker;
    private final Map<String, TestPki.Identity> certificates = new ConcurrentHashMap<>();

    /**
     * @param extraSecurity more keys of the {@code security} section, one line ({@code deniedPublishV311: drop})
     * @param extraListeners more listeners, YAML list items, made from the PKI ({@code pki.listenerTls(...)})
     */
    SecureBroker(String policy, String extraSecurity, Function<TestPki, String> extraListeners) {
        this.pki = TestPki.create();
        this.policyFile = pki.directory().resolve("policy.yaml");
        writePolicy(policy);
        this.broker = EmbeddedBroker.fromYaml("""
                listeners:
                  - {name: tls, type: tls, port: 0, tls: %s}
                  - {name: tls-optional, type: tls, port: 0, tls: %s}
                  - {name: tcp, type: tcp, port: 0}
                %s
                security:
                  policy: "%s"
                  reloadCheckSeconds: 0
                %s
                """.formatted(pki.listenerTls("required"), pki.listenerTls("optional"), extraListeners.apply(pki),
                policyFile, extraSecurity.isEmpty() ? "" : "  " + extraSecurity));
    }

    SecureBroker(String policy, String extraSecurity) {
        this(policy, extraSecurity, pki -> "");
    }

    SecureBroker(String policy) {
        this(policy, "");
    }

    void writePolicy(String policy) {
        try {
            Files.writeString(policyFile, policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate whose CN is {@code name}, made once. */
    TestPki.Identity certificate(String name) {
        return certificates.computeIfAbsent(name, n -> pki.issueClient("client-" + n, n));
    }

    MqttClientSslConfig tls(TestPki.Identity client) {
        var b = MqttClientSslConfig.builder().trustManagerFactory(pki.trustManagerFactory());
        return (client == null ? b : b.keyManagerFactory(TestPki.keyManagerFactory(client))).build();
    }

    /** An MQTT 5 client of the required-certificate listener, authenticated as {@code name}; not connected. */
    Mqtt5BlockingClient v5(String name, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("localhost")
                .serverPort(broker.port("tls")).sslConfig(tls(certificate(name))).buildBlocking();
    }

    Mqtt3BlockingClient v3(String name, String clientId) {
        return MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("localhost")
                .serverPort(broker.port("tls")).sslConfig(tls(certificate(name))).buildBlocking();
    }

    /** An MQTT 5 client of the optional-certificate listener, without a certificate; not connected. */
    Mqtt5BlockingClient v5WithoutCertificate(String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("localhost")
                .serverPort(broker.port("tls-optional")).sslConfig(tls(null)).buildBlocking();
    }
}
