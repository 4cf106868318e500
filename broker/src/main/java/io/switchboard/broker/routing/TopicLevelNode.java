package io.switchboard.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A node of a tree of topic levels (the subscription tree, the retained store): children by level
 * name, readable without a lock. Most nodes have no child or one (a device's own topics), so a
 * node holds nothing, its single child, or a map once it has several: a map costs about 150 bytes.
 * Writers hold their tree's write lock; the path and pruning helpers loop rather than recurse,
 * because a topic may have tens of thousands of levels.
 *
 * @param <N> the concrete node type
 */
public abstract class TopicLevelNode<N extends TopicLevelNode<N>> {
    private final String level;
    /** Null, the only child (an N), or a ConcurrentHashMap of level name to child. */
    private volatile Object children;

    /** @param level this node's level name ("" for a root) */
    protected TopicLevelNode(String level) {
        this.level = level;
    }

    /** This node's level name. */
    public final String level() {
        return level;
    }

    /** True when the node holds nothing of its own; with no children it can then be pruned. */
    protected abstract boolean holdsNothing();

    @SuppressWarnings("unchecked")
    private static <N> ConcurrentHashMap<String, N> asMap(Object c) {
        return c instanceof ConcurrentHashMap<?, ?> m ? (ConcurrentHashMap<String, N>) m : null;
    }

    /** The child for a level name, or null. Any thread. */
    @SuppressWarnings("unchecked")
    public final N child(String name) {
        Object c = children;
        if (c == null) {
            return null;
        }
        ConcurrentHashMap<String, N> m = asMap(c);
        if (m != null) {
            return m.get(name);
        }
        N only = (N) c;
        return only.level().equals(name) ? only : null;
    }

    /** The child for a level name, created when missing. Writers only. */
    @SuppressWarnings("unchecked")
    public final N childOrCreate(String name, Function<String, N> create) {
        Object c = children;
        if (c == null) {
            N n = create.apply(name);
            children = n;
            return n;
        }
        ConcurrentHashMap<String, N> m = asMap(c);
        if (m != null) {
            return m.computeIfAbsent(name, create);
        }
        N only = (N) c;
        if (only.level().equals(name)) {
            return only;
        }
        m = new ConcurrentHashMap<>(4);
        m.put(only.level(), only);
        N n = create.apply(name);
        m.put(name, n);
        children = m; // published whole: a reader sees the single child or the map holding it
        return n;
    }

    /** Calls {@code action} for each child with its level name. Any thread. */
    @SuppressWarnings("unchecked")
    public final void forEachChild(BiConsumer<String, N> action) {
        Object c = children;
        if (c == null) {
            return;
        }
        ConcurrentHashMap<String, N> m = asMap(c);
        if (m != null) {
            m.forEach(action);
        } else {
            N only = (N) c;
            action.accept(only.level(), only);
        }
    }

    public final boolean hasChildren() {
        Object c = children;
        ConcurrentHashMap<String, ?> m = asMap(c);
        return m != null ? !m.isEmpty() : c != null;
    }

    /** Removes a child if it is still this one. Writers only. */
    @SuppressWarnings("unchecked")
    final void removeChild(N child) {
        Object c = children;
        ConcurrentHashMap<String, N> m = asMap(c);
        if (m == null) {
            if (c == child) {
                children = null;
            }
            return;
        }
        m.remove(child.level(), child);
        if (m.size() == 1) {
            children = m.values().iterator().next(); // back to a single child
        } else if (m.isEmpty()) {
            children = null;
        }
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
            path.get(i - 1).removeChild(path.get(i));
        }
    }
}
