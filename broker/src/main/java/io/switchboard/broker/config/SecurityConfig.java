package io.switchboard.broker.config;

import java.util.List;

/**
 * Authentication and authorization from a policy file (the {@code security} module: client
 * registry, client groups, topic spaces, permission bindings; docs/security.md). Without a
 * {@code policy} every client may connect and do everything, as before.
 *
 * @param policy the policy file (YAML); null for none
 * @param reloadCheckSeconds how often the policy file is checked for a change, which is then
 *     loaded, validated and put in force; 0 for never (SIGHUP and the admin API still reload);
 *     default 5
 * @param deniedPublishV311 what a denied PUBLISH from an MQTT 3.1.1 client (which has no reason
 *     code to say so) does: {@code disconnect} the client (default, as AWS IoT does) or {@code drop}
 *     the message and acknowledge it
 * @param auditLinesPerMinute audit log lines about denials per client and minute at most; the
 *     lines beyond are counted and the count is given with the next line; default 10
 */
public record SecurityConfig(String policy, Integer reloadCheckSeconds, String deniedPublishV311,
        Integer auditLinesPerMinute) {
    public static final List<String> DENIED_PUBLISH = List.of("disconnect", "drop");

    public SecurityConfig {
        if (policy != null && policy.isBlank()) {
            throw ConfigException.badValue("security.policy", policy, "the path of a policy file");
        }
        reloadCheckSeconds = Check.range("security.reloadCheckSeconds", reloadCheckSeconds, 5, 0, 86_400);
        deniedPublishV311 = deniedPublishV311 == null ? "disconnect" : deniedPublishV311;
        if (!DENIED_PUBLISH.contains(deniedPublishV311)) {
            throw ConfigException.badValue("security.deniedPublishV311", deniedPublishV311, "one of " + DENIED_PUBLISH);
        }
        auditLinesPerMinute = Check.range("security.auditLinesPerMinute", auditLinesPerMinute, 10, 0, 100_000);
    }

    public static SecurityConfig defaults() {
        return new SecurityConfig(null, null, null, null);
    }

    /** With a policy file. */
    public SecurityConfig withPolicy(String file) {
        return new SecurityConfig(file, reloadCheckSeconds, deniedPublishV311, auditLinesPerMinute);
    }

    /** Whether a denied 3.1.1 PUBLISH disconnects the client. */
    public boolean disconnectOnDeniedPublishV311() {
        return deniedPublishV311.equals("disconnect");
    }
}
