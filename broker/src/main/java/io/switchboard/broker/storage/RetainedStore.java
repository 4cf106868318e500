package io.switchboard.broker.storage;

import io.switchboard.broker.message.Message;
import java.util.List;

/**
 * The retained message of each topic, at most one per topic ([MQTT-3.3.1-5]). Callable from any
 * event loop at once.
 */
public interface RetainedStore {

    /** Stores a message as its topic's retained message, replacing the previous one. */
    void put(Message message);

    /** Deletes the retained message of a topic, if any. */
    void remove(String topic);

    /** The unexpired retained messages whose topics match a filter. */
    List<Message> match(String filter, long nowMillis);

    int size();
}
