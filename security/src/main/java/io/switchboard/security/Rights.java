package io.switchboard.security;

import io.switchboard.broker.routing.Topics;

import java.util.List;

/**
 * What one client may do, resolved once from the policy (at CONNECT, and again when the policy
 * changes): the topic filters it may publish to and subscribe to, its templates' variables filled
 * with its own name and attributes. Each check scans this client's filters only, never the rules
 * of all clients (and those without wildcards in one hash lookup, {@link FilterSet}); it allocates
 * nothing.
 */
public final class Rights {
    /** Nothing: default deny. */
    public static final Rights NONE = new Rights(List.of(), List.of(), null, null);

    private final String[] publish;
    private final String[] subscribe;
    /** The same, arranged for the decision on each message. */
    private final FilterSet publishSet;
    private final FilterSet receiveSet;
    /** The replies this client may still send, when its group has reply rights; else null. */
    private final ReplyGrants replies;
    /** The policy these rights were resolved from: rights of an older policy are not used. */
    private final Policy source;

    Rights(List<String> publish, List<String> subscribe, ReplyRights replyRights, Policy source) {
        this.publish = publish.toArray(String[]::new);
        this.subscribe = subscribe.toArray(String[]::new);
        this.publishSet = new FilterSet(this.publish);
        this.receiveSet = new FilterSet(this.subscribe);
        this.replies = replyRights == null ? null : new ReplyGrants(replyRights);
        this.source = source;
    }

    Rights(List<String> publish, List<String> subscribe) {
        this(publish, subscribe, null, null);
    }

    /** Whether these rights were resolved from {@code policy}. */
    boolean resolvedFrom(Policy policy) {
        return source == policy;
    }

    /** Whether nothing at all is granted. */
    public boolean isEmpty() {
        return publish.length == 0 && subscribe.length == 0 && replies == null;
    }

    /** The reply grants of this client (a new set per connection), or null without reply rights. */
    ReplyGrants replies() {
        return replies;
    }

    /** A PUBLISH to this topic name: allowed when a publisher template matches it. */
    public boolean mayPublish(String topic) {
        return publishSet.matches(topic);
    }

    /**
     * A SUBSCRIBE to this filter (a shared one as {@code $share/{group}/{filter}}): allowed only when
     * every topic it can match is permitted, that is when one subscriber template contains it.
     */
    public boolean maySubscribe(String filter) {
        if (Topics.isShared(filter) && filter.indexOf('/', Topics.SHARED_PREFIX.length()) < 0) {
            return false; // no filter after the share name
        }
        String f = Topics.topicFilter(filter);
        for (String granted : subscribe) {
            if (Filters.contains(granted, f)) {
                return true;
            }
        }
        return false;
    }

    /** A delivery of a message on this topic: allowed when a subscriber template matches it. */
    public boolean mayReceive(String topic) {
        return receiveSet.matches(topic);
    }

    public List<String> publishFilters() {
        return List.of(publish);
    }

    public List<String> subscribeFilters() {
        return List.of(subscribe);
    }

    @Override
    public String toString() {
        return "Rights[publish " + List.of(publish) + ", subscribe " + List.of(subscribe) + "]";
    }
}
