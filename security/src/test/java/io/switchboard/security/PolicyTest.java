package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.security.Policy.Binding;
import io.switchboard.security.Policy.Client;
import io.switchboard.security.Policy.ClientGroup;
import io.switchboard.security.Policy.Permission;
import io.switchboard.security.Policy.TopicSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies at their own level (no broker): the set-up of Azure's request-response guide, and refusals. */
class PolicyTest {
    /** The groups, topic spaces and bindings of the guide. */
    record Parts(List<ClientGroup> groups, List<TopicSpace> spaces, List<Binding> bindings) {
    }

    static Parts azureParts(boolean withDeviceReportedPub) {
        List<Binding> bindings = new java.util.ArrayList<>(List.of(
                new Binding("clientAppDesiredPub", "cloudAppGrp", "requestDesiredProperties", Permission.PUBLISHER),
                new Binding("clientAppReportedSub", "cloudAppGrp", "responseReportedProperties", Permission.SUBSCRIBER),
                new Binding("deviceDesiredSub", "devicesGrp", "deviceDesiredSub", Permission.SUBSCRIBER)));
        if (withDeviceReportedPub) {
            bindings.add(new Binding("deviceReportedPub", "devicesGrp", "deviceReportedPub", Permission.PUBLISHER));
        }
        return new Parts(
                List.of(new ClientGroup("cloudAppGrp", GroupQuery.parse("attributes.type = \"cloudApp\"")),
                        new ClientGroup("devicesGrp", GroupQuery.parse("attributes.type = \"device\""))),
                List.of(new TopicSpace("requestDesiredProperties", List.of(TopicTemplate.parse("devices/+/desired"))),
                        new TopicSpace("responseReportedProperties", List.of(TopicTemplate.parse("devices/+/reported"))),
                        new TopicSpace("deviceDesiredSub",
                                List.of(TopicTemplate.parse("devices/${client.authenticationName}/desired"))),
                        new TopicSpace("deviceReportedPub",
                                List.of(TopicTemplate.parse("devices/${client.authenticationName}/reported")))),
                bindings);
    }

    /** Azure Event Grid's "How to implement Request-Response messaging pattern", its four topic spaces and four bindings. */
    static Policy azureRequestResponse(boolean withDeviceReportedPub) {
        Parts parts = azureParts(withDeviceReportedPub);
        return new Policy(
                List.of(new Client("cloudApp1", true, Map.of("type", "cloudApp")),
                        new Client("device1", true, Map.of("type", "device")),
                        new Client("device2", true, Map.of("type", "device"))),
                parts.groups(), parts.spaces(), parts.bindings());
    }

    static Rights rights(Policy p, String name) {
        return p.rightsOf(name, p.client(name).orElseThrow().attributes());
    }

    @Test
    void theAzureRequestResponseGuide() {
        Policy p = azureRequestResponse(true);
        Rights cloud = rights(p, "cloudApp1");
        Rights device1 = rights(p, "device1");
        Rights device2 = rights(p, "device2");
        assertThat(p.groupsOf("device2", Map.of("type", "device"))).containsExactly(Policy.ALL, "devicesGrp");
        // The request, and the response on its Response Topic.
        assertThat(cloud.mayPublish("devices/device2/desired")).isTrue();
        assertThat(device2.maySubscribe("devices/device2/desired")).isTrue();
        assertThat(device2.mayReceive("devices/device2/desired")).isTrue();
        assertThat(device2.mayPublish("devices/device2/reported")).isTrue();
        assertThat(cloud.maySubscribe("devices/+/reported")).isTrue();
        assertThat(cloud.mayReceive("devices/device2/reported")).isTrue();
        // device1 gets nothing of device2's.
        assertThat(device1.maySubscribe("devices/device2/desired")).isFalse();
        assertThat(device1.maySubscribe("devices/+/reported")).isFalse();
        assertThat(device1.maySubscribe("devices/#")).isFalse();
        assertThat(device1.maySubscribe("$share/g/devices/device2/desired")).isFalse();
        assertThat(device1.mayPublish("devices/device2/reported")).isFalse();
        assertThat(device1.mayReceive("devices/device2/desired")).isFalse();
        // Default deny: what no binding grants.
        assertThat(cloud.mayPublish("devices/device2/reported")).isFalse();
        assertThat(cloud.maySubscribe("devices/#")).isFalse();
        assertThat(rights(azureRequestResponse(false), "device2").mayPublish("devices/device2/reported")).isFalse();
        assertThat(p.rightsOf("stranger", Map.of()).isEmpty()).isTrue();
    }

    @Test
    void aSharedSubscriptionIsCheckedByItsFilter() {
        Rights device2 = rights(azureRequestResponse(true), "device2");
        assertThat(device2.maySubscribe("$share/pool/devices/device2/desired")).isTrue();
        assertThat(device2.maySubscribe("$share/pool")).isFalse();
    }

    @Test
    void anInconsistentPolicyIsRefusedNamingWhatIsMissing() {
        TopicSpace space = new TopicSpace("s1", List.of(TopicTemplate.parse("a/#")));
        assertThatThrownBy(() -> new Policy(List.of(), List.of(), List.of(space),
                List.of(new Binding("b1", "nobody", "s1", Permission.PUBLISHER))))
                .hasMessage("permission binding 'b1': no client group 'nobody' (defined: [$all])");
        assertThatThrownBy(() -> new Policy(List.of(), List.of(), List.of(space),
                List.of(new Binding("b1", "$all", "s2", Permission.PUBLISHER))))
                .hasMessage("permission binding 'b1': no topic space 's2' (defined: [s1])");
        assertThatThrownBy(() -> new Policy(List.of(new Client("c", true, Map.of()), new Client("c", false, Map.of())),
                List.of(), List.of(), List.of())).hasMessage("client 'c' is registered twice");
        assertThatThrownBy(() -> new Policy(List.of(), List.of(new ClientGroup("$all", GroupQuery.parse(
                "authenticationName = 'x'"))), List.of(), List.of())).hasMessageContaining("$all is built in");
    }

    @Test
    void theAllGroupGrantsEveryClientItsOwnTopics() {
        Policy p = new Policy(List.of(), List.of(),
                List.of(new TopicSpace("own", List.of(TopicTemplate.parse("clients/${client.authenticationName}/#")))),
                List.of(new Binding("own-pub", Policy.ALL, "own", Permission.PUBLISHER),
                        new Binding("own-sub", Policy.ALL, "own", Permission.SUBSCRIBER)));
        Rights r = p.rightsOf("lock-7", Map.of());
        assertThat(r.mayPublish("clients/lock-7/state")).isTrue();
        assertThat(r.maySubscribe("clients/lock-7/#")).isTrue();
        assertThat(r.maySubscribe("clients/+/state")).isFalse();
        assertThat(p.rightsOf("+", Map.of()).isEmpty()).isTrue(); // a wildcard identity is granted nothing
    }
}
