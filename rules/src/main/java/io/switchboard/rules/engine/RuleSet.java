package io.switchboard.rules.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in force, immutable: in their order, by name, and indexed by their FROM filters in a
 * tree of topic levels ({@link RuleTree}), so that finding the rules of a message costs a few level
 * lookups, however many rules there are, and allocates nothing when none matches.
 */
final class RuleSet {
    static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<CompiledRule> rules;
    private final Map<String, CompiledRule> byName = new LinkedHashMap<>();
    /** Null when no rule is enabled. */
    private final RuleTree<CompiledRule> index;

    RuleSet(List<CompiledRule> rules) {
        this.rules = List.copyOf(rules);
        List<CompiledRule> enabled = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        for (CompiledRule r : rules) {
            byName.put(r.name(), r);
            if (r.spec().enabled()) {
                enabled.add(r);
                filters.add(r.statement().from().filter());
            }
        }
        this.index = enabled.isEmpty() ? null : new RuleTree<>(enabled, filters);
    }

    List<CompiledRule> all() {
        return rules;
    }

    CompiledRule get(String name) {
        return byName.get(name);
    }

    /** The enabled rules whose FROM matches {@code topic}, in their order; empty (not allocated) for most topics. */
    List<CompiledRule> match(String topic) {
        return index == null ? List.of() : index.match(topic);
    }
}
