package io.switchboard.broker.protocol;

import java.util.HashMap;

/**
 * Topic aliases the broker sets towards a 5.0 client (section 3.3.2.3.4), never more than the
 * client's Topic Alias Maximum ([MQTT-3.3.2-8]) nor {@code mqtt.outboundTopicAliasMaximum}.
 *
 * <p>Policy: least recently used. A topic sent again gets its alias and an empty topic name; a new
 * topic takes a free alias, or the alias of the topic used longest ago, and is sent with its name
 * so that the client learns the mapping. Topics shorter than {@link #MIN_TOPIC_LENGTH} are sent as
 * they are: an alias (3 bytes) would not save anything. Per connection; aliases do not survive a
 * reconnect ([MQTT-3.3.2-7]). Confined to the connection's event loop.
 */
final class OutboundTopicAliases {
    static final int MIN_TOPIC_LENGTH = 4;

    private final int maximum;
    private final HashMap<String, Entry> byTopic = new HashMap<>();
    /** Most recently used first; a doubly linked list through the entries. */
    private Entry head;
    private Entry tail;

    private static final class Entry {
        final int alias;
        String topic;
        boolean learned = true;
        Entry prev;
        Entry next;

        Entry(int alias) {
            this.alias = alias;
        }
    }

    /** What to put in a PUBLISH: the alias, and whether the topic name must be sent with it. */
    record Use(int alias, boolean sendTopic) {
    }

    OutboundTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    /** The alias to use for a topic, or null to send the topic name without one. */
    Use use(String topic) {
        if (topic.length() < MIN_TOPIC_LENGTH) {
            return null;
        }
        Entry e = byTopic.get(topic);
        if (e != null) {
            moveToFront(e);
            boolean send = !e.learned;
            e.learned = true;
            return new Use(e.alias, send);
        }
        if (byTopic.size() < maximum) {
            e = new Entry(byTopic.size() + 1);
        } else {
            e = tail; // least recently used: its alias is remapped
            unlink(e);
            byTopic.remove(e.topic);
        }
        e.topic = topic;
        e.learned = true;
        byTopic.put(topic, e);
        linkFront(e);
        return new Use(e.alias, true);
    }

    /**
     * The PUBLISH that would have taught the client this topic's alias was not sent (too large for
     * the client): the next use sends the topic name again, so the client is never sent an alias it
     * did not learn.
     */
    void notSent(String topic) {
        Entry e = byTopic.get(topic);
        if (e != null) {
            e.learned = false;
        }
    }

    int size() {
        return byTopic.size();
    }

    private void moveToFront(Entry e) {
        if (head != e) {
            unlink(e);
            linkFront(e);
        }
    }

    private void linkFront(Entry e) {
        e.prev = null;
        e.next = head;
        if (head != null) {
            head.prev = e;
        }
        head = e;
        if (tail == null) {
            tail = e;
        }
    }

    private void unlink(Entry e) {
        if (e.prev != null) {
            e.prev.next = e.next;
        } else if (head == e) {
            head = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        } else if (tail == e) {
            tail = e.prev;
        }
        e.prev = null;
        e.next = null;
    }
}
