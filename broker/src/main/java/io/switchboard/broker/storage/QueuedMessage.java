package io.switchboard.broker.storage;

import io.switchboard.broker.delivery.Message;
import java.util.List;

/**
 * A message on its way to one session: the shared message plus what is particular to this
 * subscriber.
 *
 * @param qos the QoS it is delivered at (the lower of the message's and the subscription's)
 * @param retain the RETAIN flag to send
 * @param subscriptionIds the Subscription Identifiers of the matching subscriptions
 */
public record QueuedMessage(Message message, int qos, boolean retain, List<Integer> subscriptionIds) {
    public QueuedMessage {
        subscriptionIds = List.copyOf(subscriptionIds);
    }
}
