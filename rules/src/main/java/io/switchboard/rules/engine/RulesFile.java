package io.switchboard.rules.engine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules file: YAML, a list of rules under {@code rules:}. Read into {@link RuleSpec}s with the
 * line each rule and action starts on, so that every problem can say where it is; written back by
 * the admin API.
 *
 * <pre>
 * rules:
 *   - name: normalise
 *     sql: SELECT ... FROM 'sensors/#'
 *     enabled: true
 *     actions:
 *       - republish: {topic: 'normalised/${topic(2)}', qos: 1}
 *     errorAction:
 *       file: {path: ./rule-errors.jsonl}
 * </pre>
 */
public final class RulesFile {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final Set<String> RULE_KEYS = Set.of("name", "sql", "enabled", "actions", "errorAction");
    static final Set<String> ACTION_KINDS = Set.of("republish", "http", "file");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RulesFile() {
    }

    /**
     * What a file holds: the rules well formed, and the problems of the others (the SQL and the actions
     * of all are checked when compiled, so that one refusal lists every problem).
     */
    public record Read(List<RuleSpec> rules, List<String> problems) {
    }

    /**
     * Reads the rules of {@code text}; {@code source} names it in messages.
     *
     * @throws RulesException when the text is not YAML at all
     */
    public static Read read(String text, String source) {
        List<RuleSpec> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (text.isBlank()) {
            return new Read(rules, problems);
        }
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Read(rules, problems);
            }
            if (t != JsonToken.START_OBJECT) {
                throw new RulesException(List.of(source + " line " + line(p) + ": expected 'rules:' and a list of rules"));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (!key.equals("rules")) {
                    problems.add(source + " line " + line(p) + ": unknown key '" + key + "'; the file holds 'rules:'");
                    p.skipChildren();
                    continue;
                }
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    problems.add(source + " line " + line(p) + ": 'rules' is a list of rules (- name: ...)");
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int line = line(p);
                    JsonNode node = YAML.readTree(p);
                    RuleSpec r = spec(node, source, line, problems);
                    if (r != null) {
                        rules.add(r);
                    }
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new RulesException(List.of(source + (at == null ? "" : " line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new RulesException(List.of(source + ": cannot be read: " + e.getMessage()));
        }
        List<String> names = new ArrayList<>();
        for (RuleSpec r : rules) {
            if (names.contains(r.name())) {
                problems.add(where(source, r.line(), r.name()) + "another rule has this name; names are unique");
            }
            names.add(r.name());
        }
        return new Read(rules, problems);
    }

    /** A rule sent to the admin API, as JSON; null with what is wrong added to {@code problems}. */
    public static RuleSpec fromJson(JsonNode node, List<String> problems) {
        return spec(node, "the request", 0, problems);
    }

    /** One rule of a JSON tree (the API's body, or an element of the file); problems are added to {@code problems}. */
    static RuleSpec spec(JsonNode node, String source, int line, List<String> problems) {
        int before = problems.size();
        if (!node.isObject()) {
            problems.add(source + " line " + line + ": a rule is a map (name, sql, actions...)");
            return null;
        }
        String name = node.path("name").isTextual() ? node.get("name").asText() : null;
        String where = where(source, line, name);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!RULE_KEYS.contains(k)) {
                problems.add(where + "unknown key '" + k + "'; allowed: " + String.join(", ", RULE_KEYS.stream().sorted().toList()));
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(where + "'name' is required: 1 to 128 letters, digits, '_' or '-'");
        }
        JsonNode sql = node.get("sql");
        if (sql == null || !sql.isTextual() || sql.asText().isBlank()) {
            problems.add(where + "'sql' is required: SELECT ... FROM '<topic filter>' [WHERE ...]");
        }
        JsonNode enabled = node.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            problems.add(where + "'enabled' is true or false");
        }
        List<RuleSpec.ActionSpec> actions = new ArrayList<>();
        JsonNode list = node.get("actions");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add(where + "'actions' is required: a list of at least one action (republish, http, file)");
        } else {
            for (JsonNode a : list) {
                RuleSpec.ActionSpec s = action(a, where, line, problems);
                if (s != null) {
                    actions.add(s);
                }
            }
        }
        RuleSpec.ActionSpec error = null;
        JsonNode e = node.get("errorAction");
        if (e != null && !e.isNull()) {
            error = action(e, where + "errorAction: ", line, problems);
        }
        if (problems.size() > before) {
            return null;
        }
        return new RuleSpec(name, sql.asText(), enabled == null || enabled.asBoolean(), actions, error, line);
    }

    private static RuleSpec.ActionSpec action(JsonNode a, String where, int line, List<String> problems) {
        if (!a.isObject() || a.size() != 1) {
            problems.add(where + "an action is one of republish, http or file with its settings, e.g."
                    + " - republish: {topic: 'out/${topic(2)}'}");
            return null;
        }
        Map.Entry<String, JsonNode> e = a.fields().next();
        if (!ACTION_KINDS.contains(e.getKey())) {
            problems.add(where + "unknown action '" + e.getKey() + "'; allowed: republish, http, file");
            return null;
        }
        JsonNode settings = e.getValue() == null || e.getValue().isNull() ? YAML.createObjectNode() : e.getValue();
        if (!settings.isObject()) {
            problems.add(where + e.getKey() + ": its settings are a map");
            return null;
        }
        return new RuleSpec.ActionSpec(e.getKey(), settings, line);
    }

    /** "rules.yaml line 7: rule 'normalise': " */
    static String where(String source, int line, String name) {
        return source + (line > 0 ? " line " + line : "") + ": rule" + (name == null ? "" : " '" + name + "'") + ": ";
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    /** The YAML of a rule set, as the admin API writes the file. */
    public static String write(List<RuleSpec> rules) {
        ObjectNode root = YAML.createObjectNode();
        ArrayNode list = root.putArray("rules");
        for (RuleSpec r : rules) {
            list.add(toJson(r));
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the rules as YAML", e);
        }
    }

    /** A rule as JSON (the API's form, the file's entries). */
    public static ObjectNode toJson(RuleSpec r) {
        ObjectNode o = YAML.createObjectNode();
        o.put("name", r.name());
        o.put("sql", r.sql());
        o.put("enabled", r.enabled());
        ArrayNode actions = o.putArray("actions");
        for (RuleSpec.ActionSpec a : r.actions()) {
            actions.addObject().set(a.kind(), a.settings());
        }
        if (r.errorAction() != null) {
            o.putObject("errorAction").set(r.errorAction().kind(), r.errorAction().settings());
        }
        return o;
    }
}
