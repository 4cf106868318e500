package io.switchboard.broker.session;

import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.codec.packet.Will;

/**
 * A Will waiting for its Will Delay Interval (5.0, section 3.1.3.2.2): published when the delay
 * passes or the session ends, dropped when the client resumes the session first ([MQTT-3.1.3-9]).
 * Exists only while a Will waits, so that sessions without one carry none of this. Confined to the
 * session's event loop.
 *
 * @param owner who set the Will: its publication is authorized for that identity
 * @param timer fires the Will when the delay passes
 */
record DelayedWill(Will will, ClientIdentity owner, ScheduledFuture<?> timer) {

    /** Stops the timer: the Will is published now, or not at all. */
    void cancel() {
        timer.cancel(false);
    }
}
