package io.switchboard.broker.routing;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * All subscriptions, as a tree of topic levels holding plain values (client id and options). A
 * node holds the ordinary subscriptions to its filter by client id, and the shared groups
 * ({@code $share/{name}/{filter}}) whose filter it is. Matching walks the tree without locking,
 * from any event loop at once; adding and removing take a short lock among writers only, so the
 * tree never loses a concurrent change and empty branches are pruned safely.
 */
public final class SubscriptionTree {
    private final Node root = new Node("");
    private final Object writeLock = new Object();
    private final AtomicInteger count = new AtomicInteger();

    private static final class Node extends TopicLevelNode<Node> {
        /**
         * Ordinary subscriptions: null, the only one (a Subscription: most filters have one
         * subscriber), or a ConcurrentHashMap of client id to Subscription.
         */
        volatile Object subscribers;
        /** Shared groups by share name; null while there is none. */
        volatile ConcurrentHashMap<String, SharedGroup> groups;

        Node(String level) {
            super(level);
        }

        @SuppressWarnings("unchecked")
        ConcurrentHashMap<String, Subscription> map() {
            return subscribers instanceof ConcurrentHashMap<?, ?> m ? (ConcurrentHashMap<String, Subscription>) m : null;
        }

        /** Adds or replaces; true when the client had a subscription here. Writers only. */
        boolean put(Subscription s) {
            Object c = subscribers;
            if (c == null) {
                subscribers = s;
                return false;
            }
            ConcurrentHashMap<String, Subscription> m = map();
            if (m != null) {
                return m.put(s.clientId(), s) != null;
            }
            Subscription only = (Subscription) c;
            if (only.clientId().equals(s.clientId())) {
                subscribers = s;
                return true;
            }
            m = new ConcurrentHashMap<>(4);
            m.put(only.clientId(), only);
            m.put(s.clientId(), s);
            subscribers = m;
            return false;
        }

        /** Removes the client's subscription; true when there was one. Writers only. */
        boolean remove(String clientId) {
            Object c = subscribers;
            if (c == null) {
                return false;
            }
            ConcurrentHashMap<String, Subscription> m = map();
            if (m == null) {
                if (((Subscription) c).clientId().equals(clientId)) {
                    subscribers = null;
                    return true;
                }
                return false;
            }
            boolean removed = m.remove(clientId) != null;
            if (m.size() == 1) {
                subscribers = m.values().iterator().next();
            } else if (m.isEmpty()) {
                subscribers = null;
            }
            return removed;
        }

        void forEach(Consumer<Subscription> each) {
            Object c = subscribers;
            if (c instanceof Subscription s) {
                each.accept(s);
            } else if (c != null) {
                map().values().forEach(each);
            }
        }

        @Override
        protected boolean holdsNothing() {
            return subscribers == null && groups == null;
        }
    }

    /**
     * Adds or replaces the client's subscription to the filter (a shared one joins its group);
     * true when it replaced one.
     */
    public boolean add(Subscription s) {
        boolean shared = Topics.isShared(s.filter());
        String filter = Topics.topicFilter(s.filter());
        synchronized (writeLock) {
            Node node = root;
            for (String level : filter.split("/", -1)) {
                node = node.childOrCreate(level, Node::new);
            }
            boolean replaced;
            if (shared) {
                if (node.groups == null) {
                    node.groups = new ConcurrentHashMap<>(2);
                }
                String name = Topics.shareName(s.filter());
                replaced = node.groups.computeIfAbsent(name, n -> new SharedGroup(n, filter, s.filter())).put(s);
            } else {
                replaced = node.put(s);
            }
            if (!replaced) {
                count.incrementAndGet();
            }
            return replaced;
        }
    }

    /** Removes the client's subscription to the filter (shared or not); true when there was one. */
    public boolean remove(String clientId, String subscribedFilter) {
        boolean shared = Topics.isShared(subscribedFilter);
        String[] levels = Topics.topicFilter(subscribedFilter).split("/", -1);
        synchronized (writeLock) {
            List<Node> path = TopicLevelNode.path(root, levels);
            if (path == null) {
                return false;
            }
            Node node = path.get(levels.length);
            boolean removed = false;
            if (shared && node.groups != null) {
                String name = Topics.shareName(subscribedFilter);
                SharedGroup g = node.groups.get(name);
                if (g != null && g.remove(clientId)) {
                    removed = true;
                    if (g.isEmpty()) {
                        node.groups.remove(name);
                        if (node.groups.isEmpty()) {
                            node.groups = null;
                        }
                    }
                }
            } else if (!shared) {
                removed = node.remove(clientId);
            }
            if (removed) {
                count.decrementAndGet();
            }
            TopicLevelNode.prune(path, levels);
            return removed;
        }
    }

    /** The shared group of a {@code $share/{name}/{filter}} subscription, or null when it has no member. */
    public SharedGroup group(String sharedFilter) {
        String[] levels = Topics.topicFilter(sharedFilter).split("/", -1);
        Node node = root;
        for (String level : levels) {
            node = node.child(level);
            if (node == null) {
                return null;
            }
        }
        ConcurrentHashMap<String, SharedGroup> g = node.groups;
        return g == null ? null : g.get(Topics.shareName(sharedFilter));
    }

    /** Number of subscriptions held, shared group members included. */
    public int size() {
        return count.get();
    }

    /**
     * Calls {@code each} for every ordinary subscription matching a topic name and {@code eachGroup}
     * for every shared group whose filter matches; lock-free, callable from any thread. A client with
     * several matching subscriptions is reported once per subscription.
     */
    public void match(String topic, Consumer<Subscription> each, Consumer<SharedGroup> eachGroup) {
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
                Node hash = node.child("#");
                if (hash != null) {
                    // '#' matches this level and everything below, including the parent ("a/#" matches "a").
                    report(hash, each, eachGroup);
                }
            }
            if (i == levels.length) {
                report(node, each, eachGroup);
                continue;
            }
            Node exact = node.child(levels[i]);
            if (exact != null) {
                nodes.push(exact);
                depths.push(i + 1);
            }
            if (wildcardsAllowed) {
                Node plus = node.child("+");
                if (plus != null) {
                    nodes.push(plus);
                    depths.push(i + 1);
                }
            }
        }
    }

    /**
     * Calls {@code each} for every subscription held, shared group members included (their filter
     * is the shared one, {@code $share/{group}/{filter}}); lock-free, from any thread, seeing each
     * node as it is when visited. For tools (the admin API), not for routing.
     */
    public void forEach(Consumer<Subscription> each) {
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        nodes.push(root);
        while (!nodes.isEmpty()) {
            Node node = nodes.pop();
            node.forEach(each);
            ConcurrentHashMap<String, SharedGroup> groups = node.groups;
            if (groups != null) {
                for (SharedGroup g : groups.values()) {
                    for (Subscription m : g.members()) {
                        each.accept(m);
                    }
                }
            }
            node.forEachChild((level, child) -> nodes.push(child));
        }
    }

    private static void report(Node node, Consumer<Subscription> each, Consumer<SharedGroup> eachGroup) {
        node.forEach(each);
        ConcurrentHashMap<String, SharedGroup> groups = node.groups;
        if (groups != null) {
            groups.values().forEach(eachGroup);
        }
    }
}
