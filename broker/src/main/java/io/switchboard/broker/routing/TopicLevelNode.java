package io.switchboard.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A node of a tree of topic levels (the subscription tree, the retained store): children by level
 * name, readable without a lock. A leaf has no child map at all (most nodes are leaves, and a map
 * costs about 150 bytes). Writers hold their tree's write lock; the path and pruning helpers loop
 * rather than recurse, because a topic may have tens of thousands of levels.
 *
 * @param <N> the concrete node type
 */
public abstract class TopicLevelNode<N extends TopicLevelNode<N>> {
    private volatile ConcurrentHashMap<String, N> children;

    /** True when the node holds nothing of its own; with no children it can then be pruned. */
    protected abstract boolean holdsNothing();

    /** The child for a level name, or null. Any thread. */
    public final N child(String level) {
        ConcurrentHashMap<String, N> c = children;
        return c == null ? null : c.get(level);
    }

    /** The child for a level name, created when missing. Writers only. */
    public final N childOrCreate(String level, Supplier<N> create) {
        ConcurrentHashMap<String, N> c = children;
        if (c == null) {
            c = new ConcurrentHashMap<>(2);
            children = c;
        }
        return c.computeIfAbsent(level, k -> create.get());
    }

    /** Calls {@code action} for each child with its level name. Any thread. */
    public final void forEachChild(BiConsumer<String, N> action) {
        ConcurrentHashMap<String, N> c = children;
        if (c != null) {
            c.forEach(action);
        }
    }

    public final boolean hasChildren() {
        ConcurrentHashMap<String, N> c = children;
        return c != null && !c.isEmpty();
    }

    /** The nodes from {@code root} down the levels (root first), or null when a level is missing. */
    public static <N extends TopicLevelNode<N>> List<N> path(N root, String[] levels) {
        List<N> path = new ArrayList<>(levels.length + 1);
        path.add(root);
        N node = root;
        for (String level : levels) {
            node = node.child(level);
            if (node == null) {
                return null;
            }
            path.add(node);
        }
        return path;
    }

    /** Removes, bottom up, the nodes of a path that hold nothing and have no children. Writers only. */
    public static <N extends TopicLevelNode<N>> void prune(List<N> path, String[] levels) {
        for (int i = levels.length; i > 0 && path.get(i).holdsNothing() && !path.get(i).hasChildren(); i--) {
            TopicLevelNode<N> parent = path.get(i - 1);
            ConcurrentHashMap<String, N> siblings = parent.children;
            siblings.remove(levels[i - 1], path.get(i));
            if (siblings.isEmpty()) {
                parent.children = null;
            }
        }
    }
}
