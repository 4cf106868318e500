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
                .hasMessage("p.yaml: clients[0].status: unknown key; allowed keys here: attributes, authenticationName, description, passwordHash, state");
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
                "p.yaml: users: unknown key; allowed keys here: clientGroups, clientRules, clients, permissionBindings,"
                + " topicSpaces");
        // Passwords: only hashes; a plain-text password is refused at load, saying what to do instead.
        assertThatThrownBy(() -> PolicyLoader.parse("clients:\n  - {authenticationName: a, password: secret}", "p.yaml"))
                .hasMessage("p.yaml: clients[0].password: plain-text passwords are not accepted: store a hash in"
                        + " passwordHash instead (make one with: switchboard passwd)");
        assertThatThrownBy(() -> PolicyLoader.parse("clients:\n  - {authenticationName: a, passwordHash: secret}",
                "p.yaml")).hasMessageStartingWith("p.yaml: clients[0].passwordHash: not an Argon2id or PBKDF2-SHA256"
                        + " PHC string");
        assertThatThrownBy(() -> PolicyLoader.parse("clientRules:\n  - {name: r, state: enabled}", "p.yaml"))
                .hasMessageStartingWith("p.yaml: clientRules[0]: a rule needs an issuer or a subject pattern");
        assertThatThrownBy(() -> PolicyLoader.parse("clientRules:\n  - {name: r, subject: {CN: 'x*'},"
                + " attributes: {site: '${certificate.subject}'}}", "p.yaml"))
                .hasMessageStartingWith("p.yaml: clientRules[0]: attribute 'site': unknown field 'subject'; allowed"
                        + " ${certificate.subject.<type>}");
        assertThatThrownBy(() -> PolicyLoader.parse("clientGroups:\n  - {name: g, query: 'attributes.a = \"b\"',"
                + " replyRights: {maxReplies: 0}}", "p.yaml"))
                .hasMessage("p.yaml: clientGroups[0].replyRights: maxReplies 0: allowed 1..1000");
    }

    @Test
    void passwordHashesRulesAndReplyRightsLoad() {
        String hash = PasswordHash.pbkdf2("pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Policy p = PolicyLoader.parse("""
                clients:
                  - {authenticationName: backend, passwordHash: '%s', attributes: {type: cloudApp}}
                clientRules:
                  - name: cameras
                    issuer: {CN: Factory CA}
                    subject: {CN: 'cam-*', O: Acme}
                    attributes: {type: camera, model: '${certificate.subject.CN}'}
                clientGroups:
                  - {name: cams, query: 'attributes.type = "camera"', replyRights: true}
                """.formatted(hash), "p.yaml");
        assertThat(p.client("backend").orElseThrow().passwordHash()).isEqualTo(hash);
        assertThat(p.describe()).startsWith("1 clients, 1 client rules, 1 client groups");
        Rights cams = p.rightsOf("cam-1", Map.of("type", "camera"));
        assertThat(cams.replies()).isNotNull();
    }

    @Test
    void anEmptyDocumentIsAPolicyThatGrantsNothing() {
        assertThat(PolicyLoader.parse("", "p.yaml").rightsOf("anyone", Map.of()).isEmpty()).isTrue();
    }
}
