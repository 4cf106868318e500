package io.switchboard.broker.protocol;

import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.session.Session;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that does not take what is written to it (over {@code mqtt.maxOutboundBytes}): its
 * session is marked congested, so that publishers wait for it; after
 * {@code mqtt.slowSubscriberTimeoutMillis} it is declared slow: it no longer holds publishers back
 * and its QoS 0 messages are dropped (counted, and logged once when it starts and once, with the
 * count, when it reads again). Created the first time a connection's output backs up, so that the
 * many connections that never fall behind carry none of this. Confined to the connection's loop.
 */
final class Backlog {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final MqttConnection c;
    /** Since when (nanoTime) the client does not take its output, or 0. */
    private long since;
    private boolean slow;
    private long dropped;
    private ScheduledFuture<?> timer;

    Backlog(MqttConnection c) {
        this.c = c;
    }

    /** The connection's writability changed; {@code session} is its attached session. */
    void writabilityChanged(boolean writable, Session session) {
        if (!writable && since == 0) {
            since = System.nanoTime();
            if (!slow) {
                session.connectionCongested(true);
                long grace = c.protocol.config.mqtt().slowSubscriberTimeoutMillis();
                timer = c.context().executor().schedule(() -> declareSlow(session), grace, TimeUnit.MILLISECONDS);
            }
        } else if (writable && since != 0) {
            since = 0;
            cancel();
            if (slow) {
                slow = false;
                LOG.info("Client {} is reading again; {} QoS 0 messages were dropped while it was not",
                        LogText.escape(c.clientId()), dropped);
                dropped = 0;
            }
            session.connectionCongested(false);
        }
    }

    private void declareSlow(Session session) {
        if (since == 0 || c.state != MqttConnection.State.CONNECTED || slow) {
            return;
        }
        slow = true;
        c.protocol.metrics.slowSubscribers.increment();
        LOG.info("Client {} has not taken its messages for {} ms; its QoS 0 messages are dropped until it reads"
                + " again (QoS 1/2 wait in its queue)", LogText.escape(c.clientId()),
                c.protocol.config.mqtt().slowSubscriberTimeoutMillis());
        session.connectionCongested(false);
    }

    /** Declared slow: QoS 0 to it is dropped. */
    boolean slow() {
        return slow;
    }

    /** A QoS 0 message to it was dropped. */
    void dropped() {
        dropped++;
    }

    /** The connection is gone. */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
