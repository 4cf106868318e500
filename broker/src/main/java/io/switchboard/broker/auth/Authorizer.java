package io.switchboard.broker.auth;

import io.switchboard.broker.message.Message;
import io.switchboard.codec.property.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides what an authenticated client may do. Publish and subscribe decisions may be asynchronous
 * (they complete on any thread; the broker keeps the client's packets in order meanwhile); an
 * already completed stage is taken at once. The decision for each delivery is on the hot path and
 * must answer from what the authorizer holds, without blocking or I/O.
 */
public interface Authorizer {

    /** Allows everything. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
            return ALLOWED;
        }

        @Override
        public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
            return ALLOWED;
        }
    };

    /** A completed "allowed". */
    CompletionStage<Boolean> ALLOWED = CompletableFuture.completedFuture(true);

    /** A completed "denied". */
    CompletionStage<Boolean> DENIED = CompletableFuture.completedFuture(false);

    /**
     * A client has authenticated (or re-authenticated), before any decision for it: what this returns
     * is the identity every later decision gets, typically with the client's rights resolved once
     * ({@link ClientIdentity#withGrants}) so that a decision never scans all rules. On the client's
     * event loop: no blocking, no I/O.
     */
    default ClientIdentity connected(ClientIdentity identity) {
        return identity;
    }

    /**
     * A PUBLISH (or a Will, when it is published) to a topic name. Denied: PUBACK/PUBREC 0x87 in
     * 5.0; in 3.1.1 the message is acknowledged and dropped.
     */
    CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain);

    /**
     * A client's PUBLISH, with its properties (Response Topic, Correlation Data...): what the broker
     * calls for a PUBLISH packet. By default the decision on its topic
     * ({@link #mayPublish(ClientIdentity, String, int, boolean)}).
     */
    default CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain,
            Properties properties) {
        return mayPublish(client, topic, qos, retain);
    }

    /** One Topic Filter of a SUBSCRIBE (a shared one as {@code $share/{name}/{filter}}). Denied: 0x87 (3.1.1: 0x80). */
    CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos);

    /**
     * Each delivery of a message to a subscriber (so that rights taken away stop flowing to
     * subscriptions made before). Denied: the message is not sent to that client, and counted.
     */
    default boolean mayReceive(ClientIdentity subscriber, String topic) {
        return true;
    }

    /**
     * Each delivery, with the whole message: what the broker calls. By default the decision on its
     * topic ({@link #mayReceive(ClientIdentity, String)}); an authorizer that grants rights from what a
     * client receives (a reply to a request's Response Topic) overrides this one. On the subscriber's
     * event loop: no blocking, no I/O.
     */
    default boolean mayReceive(ClientIdentity subscriber, Message message) {
        return mayReceive(subscriber, message.topic());
    }

    /**
     * Why an action was denied, for the audit log: the rule (or the absence of one) that decided.
     * Called only after a denial, off the hot path.
     *
     * @param action {@code publish}, {@code subscribe} or {@code receive}
     * @param topic the topic name or filter
     */
    default String explain(ClientIdentity client, String action, String topic) {
        return "denied by " + getClass().getSimpleName();
    }
}
