package io.switchboard.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Policy} from YAML, in the names of Azure Event Grid's resources so that an Azure set-up
 * reads the same ({@code clients}, {@code clientGroups}, {@code topicSpaces},
 * {@code permissionBindings}; see docs/security.md). The whole policy is checked at once: any error
 * is an IllegalArgumentException naming the file, the key path and what is allowed, and no policy
 * comes out.
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyLoader() {
    }

    /** Parses a policy document; {@code source} names it in messages. */
    public static Policy parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        return new PolicyLoader.Reader(source).policy(root);
    }

    private record Reader(String source) {
        Policy policy(JsonNode root) {
            object(root, "", Set.of("clients", "clientRules", "clientGroups", "topicSpaces", "permissionBindings"));
            List<Policy.Client> clients = new ArrayList<>();
            for (Entry e : list(root, "clients")) {
                if (e.node().has("password")) {
                    throw error(e.path() + ".password", "plain-text passwords are not accepted: store a hash in"
                            + " passwordHash instead (make one with: switchboard passwd)");
                }
                object(e.node(), e.path(), Set.of("authenticationName", "state", "attributes", "passwordHash",
                        "description"));
                String hash = e.node().has("passwordHash") ? text(e.node(), e.path() + ".passwordHash") : null;
                if (hash != null && !PasswordHash.isHash(hash)) {
                    throw error(e.path() + ".passwordHash", "not an Argon2id or PBKDF2-SHA256 PHC string"
                            + " ($argon2id$v=19$m=..,t=..,p=..$salt$hash or $pbkdf2-sha256$i=..$salt$hash);"
                            + " make one with: switchboard passwd");
                }
                clients.add(new Policy.Client(text(e.node(), e.path() + ".authenticationName"),
                        enabled(e), attributes(e.node().get("attributes"), e.path() + ".attributes"), hash));
            }
            List<CertificateRule> rules = new ArrayList<>();
            for (Entry e : list(root, "clientRules")) {
                object(e.node(), e.path(), Set.of("name", "issuer", "subject", "state", "attributes", "description"));
                try {
                    rules.add(new CertificateRule(text(e.node(), e.path() + ".name"),
                            distinguishedName(e.node().get("issuer"), e.path() + ".issuer"),
                            distinguishedName(e.node().get("subject"), e.path() + ".subject"), enabled(e),
                            attributes(e.node().get("attributes"), e.path() + ".attributes")));
                } catch (IllegalArgumentException bad) {
                    if (bad.getMessage().startsWith(source)) {
                        throw bad;
                    }
                    throw error(e.path(), bad.getMessage());
                }
            }
            List<Policy.ClientGroup> groups = new ArrayList<>();
            for (Entry e : list(root, "clientGroups")) {
                object(e.node(), e.path(), Set.of("name", "query", "description", "replyRights"));
                String query = text(e.node(), e.path() + ".query");
                ReplyRights reply = replyRights(e.node().get("replyRights"), e.path() + ".replyRights");
                try {
                    groups.add(new Policy.ClientGroup(text(e.node(), e.path() + ".name"), GroupQuery.parse(query),
                            reply));
                } catch (QueryException q) {
                    throw error(e.path() + ".query", q.getMessage());
                }
            }
            List<Policy.TopicSpace> spaces = new ArrayList<>();
            for (Entry e : list(root, "topicSpaces")) {
                object(e.node(), e.path(), Set.of("name", "topicTemplates", "description"));
                List<TopicTemplate> templates = new ArrayList<>();
                for (Entry t : list(e.node(), e.path(), "topicTemplates")) {
                    try {
                        templates.add(TopicTemplate.parse(text(t.node(), t.path())));
                    } catch (IllegalArgumentException bad) {
                        throw error(t.path(), bad.getMessage());
                    }
                }
                if (templates.isEmpty()) {
                    throw error(e.path() + ".topicTemplates", "at least one topic template is needed");
                }
                spaces.add(new Policy.TopicSpace(text(e.node(), e.path() + ".name"), templates));
            }
            List<Policy.Binding> bindings = new ArrayList<>();
            for (Entry e : list(root, "permissionBindings")) {
                object(e.node(), e.path(), Set.of("name", "clientGroupName", "topicSpaceName", "permission",
                        "description"));
                String permission = text(e.node(), e.path() + ".permission").toLowerCase(Locale.ROOT);
                if (!permission.equals("publisher") && !permission.equals("subscriber")) {
                    throw error(e.path() + ".permission", "'" + permission + "': allowed publisher or subscriber");
                }
                bindings.add(new Policy.Binding(text(e.node(), e.path() + ".name"),
                        text(e.node(), e.path() + ".clientGroupName"), text(e.node(), e.path() + ".topicSpaceName"),
                        permission.equals("publisher") ? Policy.Permission.PUBLISHER : Policy.Permission.SUBSCRIBER));
            }
            try {
                return new Policy(clients, rules, groups, spaces, bindings);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage());
            }
        }

        private record Entry(JsonNode node, String path) {
        }

        boolean enabled(Entry e) {
            String state = optionalText(e.node(), e.path() + ".state", "enabled").toLowerCase(Locale.ROOT);
            if (!state.equals("enabled") && !state.equals("disabled")) {
                throw error(e.path() + ".state", "'" + state + "': allowed enabled or disabled");
            }
            return state.equals("enabled");
        }

        /** A rule's issuer or subject: attribute types (CN, O, OU...) to patterns with '*'. */
        Map<String, String> distinguishedName(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return Map.of();
            }
            if (!n.isObject()) {
                throw error(path, "expected a mapping of distinguished-name attribute types (CN, O, OU, C...) to"
                        + " patterns, '*' matching any run of characters");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isTextual()) {
                    throw error(path + "." + f.getKey(), "expected a string pattern");
                }
                out.put(f.getKey(), f.getValue().asText());
            }
            return out;
        }

        /** {@code replyRights: true} for the defaults, or a mapping of the settings. */
        ReplyRights replyRights(JsonNode n, String path) {
            if (n == null || n.isNull() || (n.isBoolean() && !n.asBoolean())) {
                return null;
            }
            if (n.isBoolean()) {
                return ReplyRights.DEFAULTS;
            }
            object(n, path, Set.of("maxReplies", "maxTtlSeconds", "requireCorrelationData", "maxGrants"));
            ReplyRights d = ReplyRights.DEFAULTS;
            try {
                return new ReplyRights(integer(n, path, "maxReplies", d.maxReplies()),
                        integer(n, path, "maxTtlSeconds", (int) d.maxTtlSeconds()),
                        bool(n, path, "requireCorrelationData", d.requireCorrelationData()),
                        integer(n, path, "maxGrants", d.maxGrants()));
            } catch (IllegalArgumentException bad) {
                if (bad.getMessage().startsWith(source)) {
                    throw bad;
                }
                throw error(path, bad.getMessage());
            }
        }

        int integer(JsonNode parent, String path, String key, int otherwise) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return otherwise;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw error(path + "." + key, "expected an integer");
            }
            return n.asInt();
        }

        boolean bool(JsonNode parent, String path, String key, boolean otherwise) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return otherwise;
            }
            if (!n.isBoolean()) {
                throw error(path + "." + key, "expected true or false");
            }
            return n.asBoolean();
        }

        List<Entry> list(JsonNode parent, String key) {
            return list(parent, "", key);
        }

        List<Entry> list(JsonNode parent, String parentPath, String key) {
            String path = parentPath.isEmpty() ? key : parentPath + "." + key;
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                throw error(path, "expected a list");
            }
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                out.add(new Entry(n.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        void object(JsonNode n, String path, Set<String> allowed) {
            if (!n.isObject()) {
                throw error(path.isEmpty() ? "(top)" : path, "expected a mapping");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw error(path.isEmpty() ? key : path + "." + key, "unknown key; allowed keys here: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        String text(JsonNode parent, String path) {
            JsonNode n = path.endsWith("]") ? parent : parent.get(path.substring(path.lastIndexOf('.') + 1));
            if (n == null || n.isNull()) {
                throw error(path, "missing");
            }
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw error(path, "expected a non-empty string");
            }
            return n.asText();
        }

        String optionalText(JsonNode parent, String path, String otherwise) {
            JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
            return n == null || n.isNull() ? otherwise : text(parent, path);
        }

        Map<String, Object> attributes(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return Map.of();
            }
            if (!n.isObject()) {
                throw error(path, "expected a mapping of attribute names to values");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                String at = path + "." + f.getKey();
                if (v.isTextual()) {
                    out.put(f.getKey(), v.asText());
                } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                    out.put(f.getKey(), v.asLong());
                } else if (v.isArray()) {
                    List<String> values = new ArrayList<>();
                    for (JsonNode e : v) {
                        if (!e.isTextual()) {
                            throw error(at, "a list attribute holds strings only");
                        }
                        values.add(e.asText());
                    }
                    out.put(f.getKey(), List.copyOf(values));
                } else {
                    throw error(at, "expected a string, an integer or a list of strings");
                }
            }
            return out;
        }

        IllegalArgumentException error(String path, String message) {
            return new IllegalArgumentException(source + ": " + path + ": " + message);
        }
    }
}
