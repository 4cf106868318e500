package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
    /** Azure's request-response guide, as written in a policy file (docs/security.md). */
    static final String AZURE = """
            clients:
              - {authenticationName: cloudApp1, attributes: {type: cloudApp}}
              - {authenticationName: device1, attributes: {type: device}}
              - {authenticationName: device2, state: Enabled, attributes: {type: device, floor: 3, sensors: [temp]}}
            clientGroups:
              - {name: cloudAppGrp, query: 'attributes.type = "cloudApp"'}
              - {name: devicesGrp, query: 'attributes.type = "device"'}
            topicSpaces:
              - {name: requestDesiredProperties, topicTemplates: [devices/+/desired]}
              - {name: responseReportedProperties, topicTemplates: [devices/+/reported]}
              - {name: deviceDesiredSub, topicTemplates: ['devices/${client.authenticationName}/desired']}
              - {name: deviceReportedPub, topicTemplates: ['devices/${client.authenticationName}/reported']}
            permissionBindings:
              - {name: clientAppDesiredPub, clientGroupName: cloudAppGrp, topicSpaceName: requestDesiredProperties, permission: Publisher}
              - {name: clientAppReportedSub, clientGroupName: cloudAppGrp, topicSpaceName: responseReportedProperties, permission: Subscriber}
              - {name: deviceDesiredSub, clientGroupName: devicesGrp, topicSpaceName: deviceDesiredSub, permission: Subscriber}
              - {name: deviceReportedPub, clientGroupName: devicesGrp, topicSpaceName: deviceReportedPub, permission: Publisher}
            """;

    @Test
    void theAzureGuideLoadsAndGrantsWhatTheGuideSays() {
        Policy p = PolicyLoader.parse(AZURE, "policy.yaml");
        assertThat(p.client("device2").orElseThrow().attributes())
                .isEqualTo(Map.of("type", "device", "floor", 3L, "sensors", List.of("temp")));
        Rights device2 = p.rightsOf("device2", p.client("device2").orElseThrow().attributes());
        assertThat(device2.subscribeFilters()).containsExactly("devices/device2/desired");
        assertThat(device2.publishFilters()).containsExactly("devices/device2/reported");
        Rights cloud = p.rightsOf("cloudApp1", Map.of("type", "cloudApp"));
        assertThat(cloud.mayPublish("devices/device1/desired")).isTrue();
        assertThat(cloud.maySubscribe("devices/+/reported")).isTrue();
    }

    @Test
    void errorsNameTheFileTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> PolicyLoader.parse("clientGroups:\n  - {name: g, query: 'attributes.floor <= \"five\"'}",
                "p.yaml")).hasMessageStartingWith("p.yaml: clientGroups[0].query: column 21: '<=' compares integers");
        assertThatThrownBy(() -> PolicyLoader.parse("topicSpaces:\n  - {name: s, topicTemplates: ['a/#/b']}", "p.yaml"))
                .hasMessageStartingWith("p.yaml: topicSpaces[0].topicTemplates[0]: topic template 'a/#/b': not a topic filter");
        assertThatThrownBy(() -> PolicyLoader.parse("clients:\n  - {authenticationName: a, status: on}", "p.yaml"))
                .hasMessage("p.yaml: clients[0].status: unknown key; allowed keys here: attributes, authenticationName, state");
        assertThatThrownBy(() -> PolicyLoader.parse("clients:\n  - {authenticationName: a, state: paused}", "p.yaml"))
                .hasMessage("p.yaml: clients[0].state: 'paused': allowed enabled or disabled");
        assertThatThrownBy(() -> PolicyLoader.parse("clients:\n  - {authenticationName: a, attributes: {x: 1.5}}",
                "p.yaml")).hasMessage("p.yaml: clients[0].attributes.x: expected a string, an integer or a list of strings");
        assertThatThrownBy(() -> PolicyLoader.parse("permissionBindings:\n  - {name: b, clientGroupName: g,"
                + " topicSpaceName: s, permission: owner}", "p.yaml"))
                .hasMessage("p.yaml: permissionBindings[0].permission: 'owner': allowed publisher or subscriber");
        assertThatThrownBy(() -> PolicyLoader.parse("topicSpaces:\n  - {name: s, topicTemplates: [a]}\npermissionBindings:"
                + "\n  - {name: b, clientGroupName: nobody, topicSpaceName: s, permission: publisher}", "p.yaml"))
                .hasMessage("p.yaml: permission binding 'b': no client group 'nobody' (defined: [$all])");
        assertThatThrownBy(() -> PolicyLoader.parse("clients: [", "p.yaml")).hasMessageStartingWith("p.yaml: not valid YAML");
        assertThatThrownBy(() -> PolicyLoader.parse("users: []", "p.yaml")).hasMessageStartingWith(
                "p.yaml: users: unknown key; allowed keys here: clientGroups, clients, permissionBindings, topicSpaces");
    }

    @Test
    void anEmptyDocumentIsAPolicyThatGrantsNothing() {
        assertThat(PolicyLoader.parse("", "p.yaml").rightsOf("anyone", Map.of())).isSameAs(Rights.NONE);
    }
}
