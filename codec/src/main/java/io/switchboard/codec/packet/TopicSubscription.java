package io.switchboard.codec.packet;

import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its Subscription Options (section 3.8.3.1). In 3.1.1 only
 * the maximum QoS is carried; the other options take their defaults.
 */
public record TopicSubscription(String filter, int maxQos, boolean noLocal, boolean retainAsPublished,
        int retainHandling) {

    public TopicSubscription {
        Objects.requireNonNull(filter, "filter");
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("QoS " + maxQos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retain handling " + retainHandling);
        }
    }

    public TopicSubscription(String filter, int maxQos) {
        this(filter, maxQos, false, false, 0);
    }
}
