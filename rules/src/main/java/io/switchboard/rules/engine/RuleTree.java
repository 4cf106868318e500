package io.switchboard.rules.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules' FROM filters as an immutable tree of topic levels, built once per rule set, and the
 * walk that finds the rules of a topic without allocating anything for a topic no rule matches: the
 * topic is not split, each level is looked up by its place in the topic string in an open-addressing
 * table keyed by the level name and the level's hash (the same as {@code String.hashCode}, so the
 * table's keys need not hash again). The walk is a loop, with a stack of the branches still to take
 * only where a {@code +} and an exact level both match: a topic may have tens of thousands of levels.
 *
 * <p>Why not the broker's subscription tree: it is built for concurrent change (maps a writer
 * updates while readers walk) and splits the topic into an array per match; a rule set never changes
 * (a reload builds another), and a message matching no rule should cost a few level lookups.
 */
final class RuleTree<R> {
    private final Node root = new Node();
    /** Rules by their index in the rule set's order; a node holds the indexes of the rules ending there. */
    private final List<R> rules;

    /** @param filters the FROM filter of each rule, in the rule set's order ({@code rules[i]}'s is {@code filters[i]}) */
    RuleTree(List<R> rules, List<String> filters) {
        if (rules.size() != filters.size()) {
            throw new IllegalArgumentException(rules.size() + " rules, " + filters.size() + " filters");
        }
        this.rules = List.copyOf(rules);
        for (int i = 0; i < filters.size(); i++) {
            Node n = root;
            int start = 0;
            String f = filters.get(i);
            while (true) {
                int end = f.indexOf('/', start);
                String level = f.substring(start, end < 0 ? f.length() : end);
                n = n.childOrCreate(level);
                if (end < 0) {
                    break;
                }
                start = end + 1;
            }
            n.here = append(n.here, i);
        }
        root.seal();
    }

    /** The rules whose filter matches {@code topic}, in the rule set's order; {@code List.of()} when none does. */
    List<R> match(String topic) {
        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with '$'.
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        int length = topic.length();
        int[] hits = null;
        int hitCount = 0;
        Node[] forkNodes = null;
        int[] forkStarts = null;
        int forks = 0;
        Node node = root;
        int start = 0; // where the next level starts; length + 1 once every level is consumed
        while (true) {
            boolean wildcards = !(dollar && node == root);
            Node next = null;
            if (wildcards && node.hash != null) {
                // '#' matches this level and every one below, the parent too ("a/#" matches "a").
                hits = add(hits, hitCount, node.hash.here);
                hitCount += node.hash.here.length;
            }
            if (start > length) {
                hits = add(hits, hitCount, node.here);
                hitCount += node.here.length;
            } else {
                // The level's end and its hash in one pass over it.
                int h = 0;
                int end = start;
                for (char ch; end < length && (ch = topic.charAt(end)) != '/'; end++) {
                    h = 31 * h + ch;
                }
                Node exact = node.child(topic, start, end, h);
                Node plus = wildcards ? node.plus : null;
                if (exact != null && plus != null) {
                    if (forkNodes == null) {
                        forkNodes = new Node[4];
                        forkStarts = new int[4];
                    } else if (forks == forkNodes.length) {
                        forkNodes = Arrays.copyOf(forkNodes, forks * 2);
                        forkStarts = Arrays.copyOf(forkStarts, forks * 2);
                    }
                    forkNodes[forks] = plus;
                    forkStarts[forks++] = end + 1;
                    next = exact;
                } else {
                    next = exact != null ? exact : plus;
                }
                start = end + 1;
            }
            if (next != null) {
                node = next;
                continue;
            }
            if (forks == 0) {
                break;
            }
            node = forkNodes[--forks];
            start = forkStarts[forks];
        }
        if (hitCount == 0) {
            return List.of();
        }
        if (hitCount > 1) {
            Arrays.sort(hits, 0, hitCount);
        }
        List<R> out = new ArrayList<>(hitCount);
        for (int i = 0; i < hitCount; i++) {
            out.add(rules.get(hits[i]));
        }
        return out;
    }

    private static int[] add(int[] hits, int count, int[] more) {
        if (more.length == 0) {
            return hits;
        }
        if (hits == null) {
            hits = new int[Math.max(4, more.length)];
        } else if (count + more.length > hits.length) {
            hits = Arrays.copyOf(hits, Math.max(hits.length * 2, count + more.length));
        }
        System.arraycopy(more, 0, hits, count, more.length);
        return hits;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** A topic level: its children by name (built as a list, sealed into a table), '+' and '#', the rules ending here. */
    private static final class Node {
        private static final int[] NONE = new int[0];
        int[] here = NONE;
        Node plus;
        Node hash;
        /** The children while the tree is built; null once sealed. */
        private Map<String, Node> building = new LinkedHashMap<>();
        private String[] keys;
        private int[] hashes;
        private Node[] values;
        private int mask;

        Node childOrCreate(String level) {
            if (level.equals("+")) {
                return plus != null ? plus : (plus = new Node());
            }
            if (level.equals("#")) {
                return hash != null ? hash : (hash = new Node());
            }
            return building.computeIfAbsent(level, l -> new Node());
        }

        /** The children into an open-addressing table at most half full; then down the tree. A loop, not recursion. */
        void seal() {
            List<Node> todo = new ArrayList<>(List.of(this));
            while (!todo.isEmpty()) {
                Node n = todo.remove(todo.size() - 1);
                if (!n.building.isEmpty()) {
                    int capacity = Integer.highestOneBit(n.building.size() * 2 - 1) << 1;
                    n.keys = new String[capacity];
                    n.hashes = new int[capacity];
                    n.values = new Node[capacity];
                    n.mask = capacity - 1;
                    for (Map.Entry<String, Node> e : n.building.entrySet()) {
                        int slot = spread(e.getKey().hashCode()) & n.mask;
                        while (n.keys[slot] != null) {
                            slot = (slot + 1) & n.mask;
                        }
                        n.keys[slot] = e.getKey();
                        n.hashes[slot] = e.getKey().hashCode();
                        n.values[slot] = e.getValue();
                    }
                }
                todo.addAll(n.building.values());
                if (n.plus != null) {
                    todo.add(n.plus);
                }
                if (n.hash != null) {
                    todo.add(n.hash);
                }
                n.building = null;
            }
        }

        /**
         * The child named {@code topic[from, to)}, whose {@code String.hashCode} is {@code h}, or null;
         * allocates nothing, and reads a key only when its hash is the level's.
         */
        Node child(String topic, int from, int to, int h) {
            String[] k = keys;
            if (k == null) {
                return null;
            }
            int[] hs = hashes;
            for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
                String key = k[slot];
                if (key == null) {
                    return null;
                }
                if (hs[slot] == h && key.length() == to - from && topic.regionMatches(from, key, 0, to - from)) {
                    return values[slot];
                }
            }
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
    }
}
