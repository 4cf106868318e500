package io.switchboard.broker.config;

/**
 * The rules engine (module {@code rules}): SQL over messages with republish, HTTP and file actions
 * (docs/rules.md). Without a {@code file} there are no rules and the engine costs nothing.
 *
 * @param file the rules file (YAML), read at start, watched, and written by the admin API; null for
 *     none. It need not exist yet: the API creates it with the first rule
 * @param reloadCheckSeconds how often the file is checked for a change, which is then validated and
 *     put in force whole (or refused whole, the rules in force staying); 0 for never; default 5
 */
public record RulesConfig(String file, Integer reloadCheckSeconds) {
    public RulesConfig {
        if (file != null && file.isBlank()) {
            throw ConfigException.badValue("rules.file", file, "the path of a rules file");
        }
        reloadCheckSeconds = Check.range("rules.reloadCheckSeconds", reloadCheckSeconds, 5, 0, 86_400);
    }

    public static RulesConfig defaults() {
        return new RulesConfig(null, null);
    }

    /** Whether rules are configured. */
    public boolean enabled() {
        return file != null;
    }
}
