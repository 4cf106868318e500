package io.switchboard.rules.action;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Map;

/** What the {@code http} action says about URLs, statuses and failed exchanges, in words for the error record. */
final class HttpTarget {
    /** The reason phrases of the statuses an endpoint commonly answers (the JDK's client does not give it). */
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"),
            Map.entry(407, "Proxy Authentication Required"), Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"), Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(421, "Misdirected Request"), Map.entry(422, "Unprocessable Content"),
            Map.entry(425, "Too Early"), Map.entry(426, "Upgrade Required"), Map.entry(428, "Precondition Required"),
            Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(451, "Unavailable For Legal Reasons"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"), Map.entry(505, "HTTP Version Not Supported"),
            Map.entry(507, "Insufficient Storage"), Map.entry(511, "Network Authentication Required"));

    private HttpTarget() {
    }

    /** Why {@code url} cannot be requested ("is not http or https"), or null when it can. */
    static String check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getMessage() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "is not http or https";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "has no host";
        }
        return null;
    }

    /** The URL, checked: throws {@link ActionFailure} ("the URL 'ftp://x' is not http or https"). */
    static URI uri(String url) {
        String reason = check(url);
        if (reason != null) {
            throw new ActionFailure("the URL '" + url + "' " + reason);
        }
        return URI.create(url);
    }

    /** {@code 404 Not Found}; the number alone for a status without a known phrase. */
    static String status(int code) {
        String reason = REASONS.get(code);
        return reason == null ? Integer.toString(code) : code + " " + reason;
    }

    /** Whether an answer with this status is worth another attempt. */
    static boolean retryable(int code) {
        return code == 429 || code >= 500 && code <= 599;
    }

    /**
     * An exchange's failure in words: "unknown host x.example", "cannot connect (refused or closed)", "I/O error:
     * ...". The JDK's client reports a refused connection as a ConnectException without a message, caused by a
     * ClosedChannelException without one either.
     */
    static String describe(Throwable t, URI uri) {
        String message = null;
        Throwable deepest = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (message == null && c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
            deepest = c;
        }
        if (deepest instanceof UnresolvedAddressException || deepest instanceof UnknownHostException) {
            return "unknown host " + uri.getHost();
        }
        if (t instanceof ConnectException) {
            return message == null ? "cannot connect (refused or closed)" : "cannot connect: " + message;
        }
        if (message == null) {
            message = deepest.getClass().getSimpleName();
        }
        if (t instanceof IOException) {
            return "I/O error: " + message;
        }
        return t.getClass().getSimpleName() + ": " + message;
    }
}
