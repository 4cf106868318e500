package io.switchboard.broker.routing;

import io.switchboard.broker.session.Session;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All subscriptions, as a tree of topic levels. Matching walks the tree without locking, from any
 * event loop at once; adding and removing take a short lock among writers only, so the tree never
 * loses a concurrent change and empty branches are pruned safely.
 */
public final class SubscriptionTree {
    private final Node root = new Node();
    private final Object writeLock = new Object();
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    private static final class Node extends TopicLevelNode<Node> {
        final ConcurrentHashMap<Session, Subscription> subscribers = new ConcurrentHashMap<>(2);

        @Override
        protected boolean holdsNothing() {
            return subscribers.isEmpty();
        }
    }

    /** Adds or replaces the session's subscription to the filter; true when it replaced one. */
    public boolean add(Subscription s) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : s.filter().split("/", -1)) {
                node = node.children.computeIfAbsent(level, k -> new Node());
            }
            boolean replaced = node.subscribers.put(s.session(), s) != null;
            if (!replaced) {
                count.incrementAndGet();
            }
            return replaced;
        }
    }

    /** Removes the session's subscription to the filter; true when there was one. */
    public boolean remove(Session session, String filter) {
        synchronized (writeLock) {
            String[] levels = filter.split("/", -1);
            List<Node> path = TopicLevelNode.path(root, levels);
            if (path == null) {
                return false;
            }
            boolean removed = path.get(levels.length).subscribers.remove(session) != null;
            if (removed) {
                count.decrementAndGet();
            }
            TopicLevelNode.prune(path, levels);
            return removed;
        }
    }

    /** Number of subscriptions held. */
    public int size() {
        return count.get();
    }

    /**
     * Calls {@code out} for every subscription matching a topic name; lock-free, callable from any
     * thread. A session with several matching subscriptions is reported once per subscription.
     */
    public void match(String topic, Consumer<Subscription> out) {
        String[] levels = topic.split("/", -1);
        // [MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with '$'.
        boolean dollar = topic.startsWith("$");
        // Iterative, not recursive: a topic may have tens of thousands of levels.
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(0);
        while (!nodes.isEmpty()) {
            Node node = nodes.pop();
            int i = depths.pop();
            boolean wildcardsAllowed = !(dollar && i == 0);
            if (wildcardsAllowed) {
                Node hash = node.children.get("#");
                if (hash != null) {
                    // '#' matches this level and everything below, including the parent ("a/#" matches "a").
                    hash.subscribers.values().forEach(out);
                }
            }
            if (i == levels.length) {
                node.subscribers.values().forEach(out);
                continue;
            }
            Node exact = node.children.get(levels[i]);
            if (exact != null) {
                nodes.push(exact);
                depths.push(i + 1);
            }
            if (wildcardsAllowed) {
                Node plus = node.children.get("+");
                if (plus != null) {
                    nodes.push(plus);
                    depths.push(i + 1);
                }
            }
        }
    }
}
