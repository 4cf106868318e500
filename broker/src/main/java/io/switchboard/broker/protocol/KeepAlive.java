package io.switchboard.broker.protocol;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * The keep alive of the connections of one event loop ([MQTT-3.1.2-22]), checked by one timer per
 * loop every {@link #PERIOD_MILLIS} rather than one timer per connection: a scheduled task costs
 * about 80 bytes a connection, the links of this list 8. A connection is closed within one and a
 * half times its keep alive plus at most one period. Confined to its event loop.
 */
final class KeepAlive {
    static final long PERIOD_MILLIS = 250;

    private MqttConnection head;

    KeepAlive(EventLoop loop) {
        loop.scheduleAtFixedRate(this::sweep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void add(MqttConnection c) {
        c.keepAliveNext = head;
        c.keepAlivePrev = null;
        if (head != null) {
            head.keepAlivePrev = c;
        }
        head = c;
    }

    void remove(MqttConnection c) {
        if (c.keepAlivePrev != null) {
            c.keepAlivePrev.keepAliveNext = c.keepAliveNext;
        } else if (head == c) {
            head = c.keepAliveNext;
        } else {
            return; // not in the list
        }
        if (c.keepAliveNext != null) {
            c.keepAliveNext.keepAlivePrev = c.keepAlivePrev;
        }
        c.keepAliveNext = null;
        c.keepAlivePrev = null;
    }

    private void sweep() {
        long now = System.nanoTime();
        MqttConnection c = head;
        while (c != null) {
            MqttConnection next = c.keepAliveNext; // checking may close and unlink c
            c.checkKeepAlive(now);
            c = next;
        }
    }
}
