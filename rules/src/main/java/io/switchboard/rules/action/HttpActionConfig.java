package io.switchboard.rules.action;

import io.switchboard.rules.sql.SqlTemplate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code http} action: each output of the rule is POSTed, as JSON, to an endpoint (docs/rules.md,
 * "Actions: http"). Validated on construction: a refusal is an {@link IllegalArgumentException} naming the
 * key, the value and what is allowed.
 *
 * @param url the endpoint, http or https; a substitution template ({@code https://ingest.example/${topic(2)}})
 *     rendered for each message; required
 * @param headers request headers, name to value; each value a substitution template; a {@code Content-Type}
 *     here replaces the default {@code application/json}; default none
 * @param timeoutMillis how long one attempt may take, connecting and reading the response included; default
 *     5000, 100..60000
 * @param retries how many times a failed attempt is repeated (connection errors, timeouts, 429 and 5xx);
 *     default 3, 0..10
 * @param backoffMillis the wait before the first retry, doubled at each retry (with jitter, at most 30 s);
 *     default 200, 10..60000
 * @param queueSize outputs waiting for a free request; beyond them {@code run} fails at once; default 1000,
 *     1..100000
 * @param concurrency requests in flight at once (a request waiting for its retry included); default 4, 1..64
 */
public record HttpActionConfig(String url, Map<String, String> headers, Integer timeoutMillis, Integer retries,
        Integer backoffMillis, Integer queueSize, Integer concurrency) {

    /** Headers the JDK's HTTP client sets itself and refuses from its callers. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    public HttpActionConfig {
        url = Check.required("http.url", url, "the endpoint's URL, http or https (it may contain ${...}"
                + " substitutions)");
        SqlTemplate u = Check.template("http.url", url);
        if (u.isConstant()) {
            // a URL without substitutions is checked now rather than at every message
            String reason = HttpTarget.check(url);
            if (reason != null) {
                throw Check.badValue("http.url", url, "it " + reason + " (the URL must be http or https with a host)");
            }
        }
        headers = headers == null ? Map.of() : checkHeaders(headers);
        timeoutMillis = Check.range("http.timeoutMillis", timeoutMillis, 5000, 100, 60_000);
        retries = Check.range("http.retries", retries, 3, 0, 10);
        backoffMillis = Check.range("http.backoffMillis", backoffMillis, 200, 10, 60_000);
        queueSize = Check.range("http.queueSize", queueSize, 1000, 1, 100_000);
        concurrency = Check.range("http.concurrency", concurrency, 4, 1, 64);
    }

    /** The defaults for everything but the URL. */
    public static HttpActionConfig of(String url) {
        return new HttpActionConfig(url, null, null, null, null, null, null);
    }

    private static Map<String, String> checkHeaders(Map<String, String> headers) {
        Map<String, String> checked = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        headers.forEach((name, value) -> {
            String key = "http.headers." + name;
            if (name == null || name.isEmpty() || !isToken(name)) {
                throw Check.badValue("http.headers", name, "a header name is letters, digits and"
                        + " !#$%&'*+-.^_`|~");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESTRICTED_HEADERS.contains(lower)) {
                throw Check.badValue("http.headers", name, "the HTTP client sets " + name + " itself (not one of "
                        + RESTRICTED_HEADERS + ")");
            }
            if (!seen.add(lower)) {
                throw Check.badValue("http.headers", name, "each header once (names are not case-sensitive)");
            }
            if (value == null) {
                throw new IllegalArgumentException("missing '" + key + "': the header's value (it may contain"
                        + " ${...} substitutions)");
            }
            Check.template(key, value);
            checked.put(name, value);
        });
        return Collections.unmodifiableMap(checked);
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
