package io.switchboard.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node of a tree of topic levels (the subscription tree, the retained store): children by level
 * name, readable without a lock. The path and pruning helpers are for writers, who hold their tree's
 * write lock; they loop rather than recurse, because a topic may have tens of thousands of levels.
 *
 * @param <N> the concrete node type
 */
public abstract class TopicLevelNode<N extends TopicLevelNode<N>> {
    public final ConcurrentHashMap<String, N> children = new ConcurrentHashMap<>(4);

    /** True when the node holds nothing of its own; with no children it can then be pruned. */
    protected abstract boolean holdsNothing();

    /** The nodes from {@code root} down the levels (root first), or null when a level is missing. */
    public static <N extends TopicLevelNode<N>> List<N> path(N root, String[] levels) {
        List<N> path = new ArrayList<>(levels.length + 1);
        path.add(root);
        N node = root;
        for (String level : levels) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
            path.add(node);
        }
        return path;
    }

    /** Removes, bottom up, the nodes of a path that hold nothing and have no children. */
    public static <N extends TopicLevelNode<N>> void prune(List<N> path, String[] levels) {
        for (int i = levels.length; i > 0 && path.get(i).holdsNothing() && path.get(i).children.isEmpty(); i--) {
            path.get(i - 1).children.remove(levels[i - 1], path.get(i));
        }
    }
}
