package io.switchboard.broker.storage.memory;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.routing.TopicLevelNode;
import io.switchboard.broker.storage.RetainedStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retained messages in a tree of topic levels, so a wildcard subscription visits only the branches
 * it can match. Reads are lock-free; writers take a short lock so pruning never races an insert.
 * Expired messages are skipped on read and removed then.
 */
final class MemoryRetainedStore implements RetainedStore {
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

    @Override
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

    @Override
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

    @Override
    public List<Message> match(String filter, long nowMillis) {
        List<Message> out = new ArrayList<>();
        List<Message> expired = new ArrayList<>(0);
        collect(filter.split("/", -1), nowMillis, out, expired);
        expired.forEach(m -> remove(m.topic(), m));
        return out;
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

    @Override
    public int size() {
        return size.get();
    }
}
