package io.switchboard.broker.storage.memory;

import io.switchboard.broker.delivery.Message;
import io.switchboard.broker.storage.RetainedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retained messages in a tree of topic levels, so a wildcard subscription visits only the branches
 * it can match. Reads are lock-free; writers take a short lock so pruning never races an insert.
 * Expired messages are skipped on read and removed then.
 */
final class MemoryRetainedStore implements RetainedStore {
    private final Node root = new Node();
    private final Object writeLock = new Object();
    private final AtomicInteger size = new AtomicInteger();

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Message message;
    }

    @Override
    public void put(Message message) {
        synchronized (writeLock) {
            Node node = root;
            for (String level : message.topic().split("/", -1)) {
                node = node.children.computeIfAbsent(level, k -> new Node());
            }
            if (node.message == null) {
                size.incrementAndGet();
            }
            node.message = message;
        }
    }

    @Override
    public void remove(String topic) {
        synchronized (writeLock) {
            removeFrom(root, topic.split("/", -1), 0);
        }
    }

    private boolean removeFrom(Node node, String[] levels, int i) {
        if (i == levels.length) {
            if (node.message != null) {
                node.message = null;
                size.decrementAndGet();
            }
        } else {
            Node child = node.children.get(levels[i]);
            if (child != null && removeFrom(child, levels, i + 1)) {
                node.children.remove(levels[i], child);
            }
        }
        return node.message == null && node.children.isEmpty();
    }

    @Override
    public List<Message> match(String filter, long nowMillis) {
        List<Message> out = new ArrayList<>();
        List<String> expired = new ArrayList<>(0);
        collect(root, filter.split("/", -1), 0, true, nowMillis, out, expired);
        expired.forEach(this::remove);
        return out;
    }

    private void collect(Node node, String[] levels, int i, boolean top, long now, List<Message> out,
            List<String> expired) {
        if (i == levels.length) {
            add(node.message, now, out, expired);
            return;
        }
        String level = levels[i];
        if (level.equals("#")) {
            // '#' matches the parent level too ("a/#" matches "a").
            if (!top) {
                add(node.message, now, out, expired);
            }
            node.children.forEach((name, child) -> {
                // [MQTT-4.7.2-1] wildcards at the first level do not match topics starting with '$'.
                if (!(top && name.startsWith("$"))) {
                    collectAll(child, now, out, expired);
                }
            });
        } else if (level.equals("+")) {
            node.children.forEach((name, child) -> {
                if (!(top && name.startsWith("$"))) {
                    collect(child, levels, i + 1, false, now, out, expired);
                }
            });
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                collect(child, levels, i + 1, false, now, out, expired);
            }
        }
    }

    private void collectAll(Node node, long now, List<Message> out, List<String> expired) {
        add(node.message, now, out, expired);
        node.children.values().forEach(child -> collectAll(child, now, out, expired));
    }

    private static void add(Message m, long now, List<Message> out, List<String> expired) {
        if (m == null) {
            return;
        }
        if (m.isExpired(now)) {
            expired.add(m.topic());
        } else {
            out.add(m);
        }
    }

    @Override
    public int size() {
        return size.get();
    }
}
