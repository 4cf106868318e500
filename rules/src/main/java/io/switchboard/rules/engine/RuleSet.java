package io.switchboard.rules.engine;

import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.SubscriptionTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules in force, immutable: in their order, by name, and indexed by their FROM filters in a
 * tree of topic levels (the broker's own subscription tree), so that finding the rules of a message
 * costs what matching a subscription costs, however many rules there are. A message whose first
 * topic level no enabled rule can match is turned away with one hash lookup.
 */
final class RuleSet {
    static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<CompiledRule> rules;
    private final Map<String, CompiledRule> byName = new LinkedHashMap<>();
    private final Map<String, Integer> order = new LinkedHashMap<>();
    private final SubscriptionTree index = new SubscriptionTree();
    /** First levels of the enabled rules' filters; null when one starts with a wildcard (then anything may match). */
    private final Set<String> firstLevels;
    private final boolean empty;

    RuleSet(List<CompiledRule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> levels = new HashSet<>();
        boolean wildcardFirst = false;
        int enabled = 0;
        for (CompiledRule r : rules) {
            byName.put(r.name(), r);
            order.put(r.name(), order.size());
            if (!r.spec().enabled()) {
                continue;
            }
            enabled++;
            String filter = r.statement().from().filter();
            index.add(new Subscription(r.name(), filter, 0, false, false, 0, 0));
            String first = r.statement().from().levels().get(0);
            if (first.equals("+") || first.equals("#")) {
                wildcardFirst = true;
            }
            levels.add(first);
        }
        this.firstLevels = wildcardFirst ? null : levels;
        this.empty = enabled == 0;
    }

    List<CompiledRule> all() {
        return rules;
    }

    CompiledRule get(String name) {
        return byName.get(name);
    }

    boolean isEmpty() {
        return empty;
    }

    /** The enabled rules whose FROM matches {@code topic}, in their order; empty (not allocated) for most topics. */
    List<CompiledRule> match(String topic) {
        if (empty) {
            return List.of();
        }
        if (firstLevels != null) {
            int slash = topic.indexOf('/');
            if (!firstLevels.contains(slash < 0 ? topic : topic.substring(0, slash))) {
                return List.of();
            }
        }
        List<CompiledRule> hits = new ArrayList<>(2);
        index.match(topic, s -> hits.add(byName.get(s.clientId())), g -> { });
        if (hits.size() > 1) {
            hits.sort((a, b) -> Integer.compare(order.get(a.name()), order.get(b.name())));
        }
        return hits;
    }
}
