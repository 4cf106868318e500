package io.switchboard.broker.routing;

/**
 * Private reply-topic prefixes (MQTT 5 Response Information, section 4.10): a client that asks for
 * Response Information gets {@code $reply/{client id}}, with {@code %}, {@code /}, {@code +} and
 * {@code #} in the client id percent-encoded so that the id is exactly one topic level. Anyone may
 * publish under a client's prefix (that is how replies reach it); only that client may subscribe
 * under it, and no one may subscribe to a filter that reaches into another client's prefix
 * ({@code $reply/#}, {@code $reply/+/...}). Being a {@code $} topic, no ordinary {@code #} or
 * {@code +} subscription sees replies ([MQTT-4.7.2-1]).
 */
public final class ResponseTopics {
    /** The first topic level of every reply prefix. */
    public static final String ROOT = "$reply";

    private ResponseTopics() {
    }

    /** The reply-topic prefix of a client, without a trailing '/'. */
    public static String prefixFor(String clientId) {
        return ROOT + "/" + Topics.encodeLevel(clientId);
    }

    /**
     * Null when the client may subscribe to the filter, else why not: the filter (the topic filter
     * of a shared subscription included) reaches into another client's reply prefix.
     */
    public static String checkSubscribe(String filter, String clientId) {
        String topicFilter = Topics.topicFilter(filter);
        if (!topicFilter.startsWith(ROOT + "/")) {
            return null; // a '+' or '#' first level does not match '$' topics ([MQTT-4.7.2-1])
        }
        int end = topicFilter.indexOf('/', ROOT.length() + 1);
        String level = topicFilter.substring(ROOT.length() + 1, end < 0 ? topicFilter.length() : end);
        if (level.equals(Topics.encodeLevel(clientId))) {
            return null;
        }
        return "the topic filter '" + filter + "' reaches into reply topics of other clients; a client may only"
                + " subscribe under its own prefix " + prefixFor(clientId) + "/";
    }
}
