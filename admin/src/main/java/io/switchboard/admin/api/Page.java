package io.switchboard.admin.api;

import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a list, in a stable order by a key: {@code after} is the key of the last item seen
 * (as an opaque cursor), so that a page does not shift when items come and go before it.
 */
final class Page {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Page() {
    }

    /** The page of {@code items} that {@code request}'s {@code after} and {@code limit} ask for, as JSON. */
    static <T> Map<String, Object> of(Request request, List<T> items, Function<T, String> key,
            Function<T, Object> json) {
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String after = cursor(request.query("after"));
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(key));
        int from = 0;
        if (after != null) {
            // the first item after the cursor's key
            int lo = 0;
            int hi = sorted.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (key.apply(sorted.get(mid)).compareTo(after) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            from = lo;
        }
        int to = Math.min(sorted.size(), from + limit);
        List<Object> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(json.apply(sorted.get(i)));
        }
        String next = to < sorted.size() ? encode(key.apply(sorted.get(to - 1))) : null;
        java.util.LinkedHashMap<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("total", sorted.size());
        page.put("next", next);
        page.put("items", out);
        return page;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String cursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("after", after, "the 'next' value of the previous page");
        }
    }

    /** A pattern with {@code *} (any characters) and {@code ?} (one) as a matcher of whole strings. */
    static java.util.function.Predicate<String> glob(String name, String pattern) {
        if (pattern == null) {
            return s -> true;
        }
        if (pattern.length() > 1000) {
            throw ApiException.badParameter(name, null, "a pattern of at most 1000 characters");
        }
        return s -> s != null && globMatches(pattern, s);
    }

    /** Linear in practice, O(pattern x text) at worst: no regular expression to backtrack. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
