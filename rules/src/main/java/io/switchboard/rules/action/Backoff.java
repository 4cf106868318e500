package io.switchboard.rules.action;

import java.net.http.HttpResponse;

/** How long the {@code http} action waits before trying again. */
final class Backoff {
    static final long MAX_MILLIS = 30_000;

    private Backoff() {
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): {@code base} doubled at each retry, at most
     * {@value #MAX_MILLIS} ms, of which a random part ({@code random} in [0, 1)) is taken off, up to half:
     * so retries of many outputs failed together do not come back together.
     */
    static long millis(long base, int retry, double random) {
        long full = Math.min(MAX_MILLIS, base << Math.min(retry - 1, 20));
        return full - (long) (full / 2 * random);
    }

    /** A Retry-After in seconds (of a 429 or 503), in ms; 0 without one (or as a date, which is not read). */
    static long retryAfterMillis(HttpResponse<?> response) {
        String v = response.headers().firstValue("Retry-After").orElse("").strip();
        if (v.isEmpty() || v.length() > 6 || !v.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(v) * 1000;
    }
}
