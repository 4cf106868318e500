package io.switchboard.security;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The replies one connected client may still send under its group's {@link ReplyRights}: one grant
 * per request delivered to it (its Response Topic and Correlation Data), each with the replies it
 * has left and when it ends. Bounded: past {@code maxGrants} the oldest goes. A grant used up or
 * ended is gone; nothing brings it back. Thread-safe (delivery and publish run on the client's event
 * loop, but a takeover may move them).
 */
final class ReplyGrants {
    private final ReplyRights rights;
    /** By request: a delivery decided twice (sent at once, or queued and sent later) grants once. */
    private final LinkedHashMap<Integer, Grant> grants = new LinkedHashMap<>();

    private static final class Grant {
        final String topic;
        final byte[] correlation;
        int left;
        final long endsAt;

        Grant(String topic, byte[] correlation, int left, long endsAt) {
            this.topic = topic;
            this.correlation = correlation;
            this.left = left;
            this.endsAt = endsAt;
        }
    }

    ReplyGrants(ReplyRights rights) {
        this.rights = rights;
    }

    /**
     * A request was delivered: replies to {@code topic} are allowed until the earlier of its expiry
     * ({@code expiresAt}, 0 for none) and {@code maxTtl} from now.
     *
     * @param request identifies the request message, so that deciding its delivery twice grants once
     */
    synchronized void grant(int request, String topic, byte[] correlation, long expiresAt, long now) {
        if (grants.containsKey(request)) {
            return;
        }
        long end = now + rights.maxTtlSeconds() * 1000;
        if (expiresAt != 0) {
            end = Math.min(end, expiresAt);
        }
        grants.put(request, new Grant(topic, correlation == null ? null : correlation.clone(), rights.maxReplies(), end));
        if (grants.size() > rights.maxGrants()) {
            Iterator<Grant> oldest = grants.values().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * A PUBLISH to {@code topic} with {@code correlation}: takes one reply of the oldest grant that
     * covers it (same topic; same Correlation Data when the rights require it), if one does.
     */
    synchronized boolean use(String topic, byte[] correlation, long now) {
        for (Iterator<Grant> it = grants.values().iterator(); it.hasNext(); ) {
            Grant g = it.next();
            if (g.endsAt <= now) {
                it.remove();
                continue;
            }
            if (!g.topic.equals(topic)
                    || (rights.requireCorrelationData() && !Arrays.equals(g.correlation, correlation))) {
                continue;
            }
            if (--g.left == 0) {
                it.remove();
            }
            return true;
        }
        return false;
    }

    synchronized int size() {
        return grants.size();
    }
}
