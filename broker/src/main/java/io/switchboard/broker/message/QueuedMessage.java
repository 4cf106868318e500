package io.switchboard.broker.message;

import java.util.List;

/**
 * A message on its way to one session: the shared message plus what is particular to this
 * subscriber.
 *
 * @param qos the QoS it is delivered at (the lower of the message's and the subscription's)
 * @param retain the RETAIN flag to send
 * @param subscriptionIds the Subscription Identifiers of the matching subscriptions
 * @param sharedFilter the {@code $share/{name}/{filter}} it was chosen for, or null when it came
 *     through an ordinary subscription; a shared message that a member leaves unacknowledged goes
 *     to another member of that group
 * @param stored whether durable storage holds this delivery (a QoS 1 or 2 message for a session
 *     that outlives its connection, with durable storage): its progress is then written as it goes
 */
public record QueuedMessage(Message message, int qos, boolean retain, List<Integer> subscriptionIds,
        String sharedFilter, boolean stored) {
    public QueuedMessage {
        subscriptionIds = List.copyOf(subscriptionIds);
    }

    /** A message through an ordinary (not shared) subscription, not stored. */
    public QueuedMessage(Message message, int qos, boolean retain, List<Integer> subscriptionIds) {
        this(message, qos, retain, subscriptionIds, null, false);
    }

    /** The same delivery, stored or not. */
    public QueuedMessage withStored(boolean s) {
        return s == stored ? this : new QueuedMessage(message, qos, retain, subscriptionIds, sharedFilter, s);
    }
}
