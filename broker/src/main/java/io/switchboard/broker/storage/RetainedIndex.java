package io.switchboard.broker.storage;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.routing.TopicLevelNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retained message of each topic, at most one per topic ([MQTT-3.3.1-5]), in memory whatever
 * the storage: a tree of topic levels, so a wildcard subscription visits only the branches it can
 * match. Callable from any event loop at once: reads are lock-free; writers take a short lock so
 * pruning never races an insert. Expired messages are skipped on read and removed by
 * {@link #removeExpired}, which the broker runs in the background (and deletes from storage too).
 */
public final class RetainedIndex {
    private final Node root = new Node("");
    private final Object writeLock = new Object();
    private final AtomicInteger size = new AtomicInteger();

    private static final class Node extends TopicLevelNode<Node> {
        volatile Message message;

        Node(String level) {
            super(level);
        }

        @Override
        protected boolean holdsNothing() {
            return message == null;
        }
    }

    /** Stores a message as its topic's retained message, replacing the previous one. */
    public void put(Message message) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : message.topic().split("/", -1)) {
                node = node.childOrCreate(level, Node::new);
            }
            if (node.message == null) {
                size.incrementAndGet();
            }
            node.message = message;
        }
    }

    /** The retained message of a topic, expired or not, or null. */
    public Message get(String topic) {
        String[] levels = topic.split("/", -1);
        List<Node> path = TopicLevelNode.path(root, levels);
        return path == null ? null : path.get(levels.length).message;
    }

    /** Deletes the retained message of a topic, if any. */
    public void remove(String topic) {
        remove(topic, null);
    }

    /** Removes the topic's message; when {@code expected} is given, only if it is still that message. */
    private void remove(String topic, Message expected) {
        synchronized (writeLock) {
            String[] levels = topic.split("/", -1);
            List<Node> path = TopicLevelNode.path(root, levels);
            if (path == null) {
                return;
            }
            Node leaf = path.get(levels.length);
            if (expected != null && leaf.message != expected) {
                return; // replaced since it was found expired: keep the newer message
            }
            if (leaf.message != null) {
                leaf.message = null;
                size.decrementAndGet();
            }
            TopicLevelNode.prune(path, levels);
        }
    }

    /** The unexpired retained messages whose topics match a filter. */
    public List<Message> match(String filter, long nowMillis) {
        List<Message> out = new ArrayList<>();
        collect(filter.split("/", -1), nowMillis, out, new ArrayList<>(0));
        return out;
    }

    /** Removes the messages expired by {@code nowMillis} and returns them. */
    public List<Message> removeExpired(long nowMillis) {
        List<Message> expired = new ArrayList<>();
        collect(new String[] {"#"}, nowMillis, new ArrayList<>(), expired);
        // '#' at the top skips '$' topics ([MQTT-4.7.2-1]); the sweep must not.
        root.forEachChild((name, child) -> {
            if (name.startsWith("$")) {
                collectAll(child, nowMillis, new ArrayList<>(), expired);
            }
        });
        expired.forEach(m -> remove(m.topic(), m));
        return expired;
    }

    /** Every retained message, expired or not (for tests and tools). */
    public List<Message> all() {
        List<Message> all = new ArrayList<>();
        collectAll(root, Long.MIN_VALUE, all, all);
        return all;
    }

    /** Iterative, not recursive: filters and topics may have tens of thousands of levels. */
    private void collect(String[] levels, long now, List<Message> out, List<Message> expired) {
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(0);
        while (!nodes.isEmpty()) {
            Node node = nodes.pop();
            int i = depths.pop();
            boolean top = i == 0;
            if (i == levels.length) {
                add(node.message, now, out, expired);
                continue;
            }
            String level = levels[i];
            if (level.equals("#")) {
                // '#' matches the parent level too ("a/#" matches "a").
                if (!top) {
                    add(node.message, now, out, expired);
                }
                node.forEachChild((name, child) -> {
                    // [MQTT-4.7.2-1] wildcards at the first level do not match topics starting with '$'.
                    if (!(top && name.startsWith("$"))) {
                        collectAll(child, now, out, expired);
                    }
                });
            } else if (level.equals("+")) {
                node.forEachChild((name, child) -> {
                    if (!(top && name.startsWith("$"))) {
                        nodes.push(child);
                        depths.push(i + 1);
                    }
                });
            } else {
                Node child = node.child(level);
                if (child != null) {
                    nodes.push(child);
                    depths.push(i + 1);
                }
            }
        }
    }

    private void collectAll(Node start, long now, List<Message> out, List<Message> expired) {
        ArrayDeque<Node> pending = new ArrayDeque<>();
        pending.push(start);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            add(node.message, now, out, expired);
            node.forEachChild((name, child) -> pending.push(child));
        }
    }

    private static void add(Message m, long now, List<Message> out, List<Message> expired) {
        if (m == null) {
            return;
        }
        if (m.isExpired(now)) {
            expired.add(m);
        } else {
            out.add(m);
        }
    }

    public int size() {
        return size.get();
    }
}
