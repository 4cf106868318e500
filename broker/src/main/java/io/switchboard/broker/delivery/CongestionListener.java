package io.switchboard.broker.delivery;

/** A publisher told which subscribers it reached are not keeping up, so that it can wait for them. */
@FunctionalInterface
public interface CongestionListener {

    /** {@code subscriber} got a message from this publisher and is congested; called on the publisher's loop. */
    void congested(Subscriber subscriber);
}
