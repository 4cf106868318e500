package io.switchboard.broker.routing;

import io.switchboard.broker.session.Session;
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

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        final ConcurrentHashMap<Session, Subscription> subscribers = new ConcurrentHashMap<>(2);

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty();
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
            return removeFrom(root, filter.split("/", -1), 0, session);
        }
    }

    private boolean removeFrom(Node node, String[] levels, int i, Session session) {
        if (i == levels.length) {
            boolean removed = node.subscribers.remove(session) != null;
            if (removed) {
                count.decrementAndGet();
            }
            return removed;
        }
        Node child = node.children.get(levels[i]);
        if (child == null) {
            return false;
        }
        boolean removed = removeFrom(child, levels, i + 1, session);
        if (child.isEmpty()) {
            node.children.remove(levels[i], child);
        }
        return removed;
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
        matchLevel(root, levels, 0, dollar, out);
    }

    private static void matchLevel(Node node, String[] levels, int i, boolean dollar, Consumer<Subscription> out) {
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
            return;
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) {
            matchLevel(exact, levels, i + 1, dollar, out);
        }
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) {
                matchLevel(plus, levels, i + 1, dollar, out);
            }
        }
    }
}
