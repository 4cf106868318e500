package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.message.Message;

/**
 * Sees every message a client publishes that the broker accepted (authorized and routed), on the
 * publisher's event loop, after it was handed to its subscribers: the rules engine. It must not block
 * and must not throw. The broker's own messages (Wills, $SYS, what the admin API or a rule publishes)
 * do not pass here.
 */
@FunctionalInterface
public interface PublishTap {
    /** Sees nothing. */
    PublishTap NONE = (message, clientId, publisher, memo) -> { };

    /**
     * @param publisher who the publisher authenticated as, or null
     * @param memo the publisher's connection's memo: what the tap keeps there is there at its next message
     */
    void published(Message message, String clientId, ClientIdentity publisher, Memo memo);

    /**
     * One field per connection for the tap, read and written on the connection's event loop only:
     * what the tap worked out for the connection's last message (the rules engine: the rules its
     * topic matched), since a client tends to publish to the same topic again.
     */
    final class Memo {
        public Object value;
    }

    /** The one tap in force, set once an extension that wants to see messages has started. */
    final class Holder {
        private volatile PublishTap tap = NONE;

        public PublishTap get() {
            return tap;
        }

        public void set(PublishTap t) {
            this.tap = t == null ? NONE : t;
        }
    }
}
