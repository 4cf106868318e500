package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.security.Policy.Client;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client registry over real TLS: certificates made by the test, a broker whose TLS listener
 * requires them (and one where they are optional), the HiveMQ MQTT Client over MQTT 5 and 3.1.1.
 */
class RegistryAuthenticatorTest {
    static final TestPki PKI = TestPki.create();
    static final Policy POLICY = withRetired(PolicyTest.azureRequestResponse(true));

    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml(yaml()).with(b -> b
            .authenticator(new RegistryAuthenticator(POLICY)).authorizer(new PolicyAuthorizer(POLICY)));

    /** The guide's policy with one more client, registered but disabled. */
    static Policy withRetired(Policy azure) {
        List<Client> clients = new ArrayList<>();
        for (String n : List.of("cloudApp1", "device1", "device2")) {
            clients.add(azure.client(n).orElseThrow());
        }
        clients.add(new Client("retired", false, Map.of("type", "device")));
        PolicyTest.Parts parts = PolicyTest.azureParts(true);
        return new Policy(clients, parts.groups(), parts.spaces(), parts.bindings());
    }

    static String yaml() {
        return """
                listeners:
                  - {name: tls, type: tls, port: 0, tls: %s}
                  - {name: tls-optional, type: tls, port: 0, tls: %s}
                """.formatted(PKI.listenerTls("required"), PKI.listenerTls("optional"));
    }

    static MqttClientSslConfig tls(TestPki.Identity client) {
        var b = MqttClientSslConfig.builder().trustManagerFactory(PKI.trustManagerFactory());
        return (client == null ? b : b.keyManagerFactory(TestPki.keyManagerFactory(client))).build();
    }

    static Mqtt5BlockingClient v5(String listener, TestPki.Identity client) {
        return MqttClient.builder().useMqttVersion5().identifier("registry-" + System.nanoTime())
                .serverHost("localhost").serverPort(BROKER.port(listener)).sslConfig(tls(client)).buildBlocking();
    }

    @Test
    void aRegisteredClientIsWhoItsCertificateSays() {
        Mqtt5BlockingClient device2 = v5("tls", PKI.issueClient("device2", "device2"));
        device2.connect();
        try {
            // Its rights are device2's: its own request topic, not device1's.
            assertThat(device2.subscribeWith().topicFilter("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThatThrownBy(() -> device2.subscribeWith().topicFilter("devices/device1/desired").send())
                    .isInstanceOfSatisfying(Mqtt5SubAckException.class, e -> assertThat(e.getMqttMessage()
                            .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
        } finally {
            device2.disconnect();
        }
    }

    @Test
    void unknownDisabledAndWildcardNamesAreRefusedWith0x87AndTheReason() {
        assertRefused(v5("tls", PKI.issueClient("stranger", "stranger")), "'stranger' is not a registered client");
        assertRefused(v5("tls", PKI.issueClient("retired", "retired")), "client 'retired' is disabled");
        assertRefused(v5("tls", PKI.issueClient("wild", "device\\+")), "the authentication name from the certificate"
                + " is refused");
        assertRefused(v5("tls-optional", null), "a client certificate, or a user name and password, is required");
    }

    private static void assertRefused(Mqtt5BlockingClient c, String reason) {
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
            assertThat(e.getMqttMessage().getReasonString().map(Object::toString).orElse("")).contains(reason);
        });
    }

    @Test
    void mqtt311GetsReturnCode5() {
        Mqtt3BlockingClient stranger = MqttClient.builder().useMqttVersion3().identifier("registry-v3")
                .serverHost("localhost").serverPort(BROKER.port("tls"))
                .sslConfig(tls(PKI.issueClient("stranger3", "stranger3"))).buildBlocking();
        assertThatThrownBy(stranger::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    }
}
