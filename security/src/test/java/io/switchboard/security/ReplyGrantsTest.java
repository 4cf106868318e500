package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bookkeeping of reply rights, with time given: counts, ends, Correlation Data, the bound. */
class ReplyGrantsTest {
    static final byte[] C1 = "c1".getBytes(StandardCharsets.UTF_8);
    static final byte[] C2 = "c2".getBytes(StandardCharsets.UTF_8);

    @Test
    void aGrantAllowsMaxRepliesToItsTopicThenNothing() {
        ReplyGrants g = new ReplyGrants(new ReplyRights(2, 120, false, 10));
        assertThat(g.use("r/1", null, 0)).isFalse(); // nothing before a request
        g.grant(1, "r/1", C1, 0, 1_000);
        assertThat(g.use("r/2", null, 1_001)).isFalse(); // another topic
        assertThat(g.use("r/1", null, 1_001)).isTrue();
        assertThat(g.use("r/1", C2, 1_002)).isTrue(); // Correlation Data not required
        assertThat(g.use("r/1", C1, 1_003)).isFalse(); // used up
        assertThat(g.size()).isZero();
    }

    @Test
    void deliveringTheSameRequestTwiceGrantsOnce() {
        ReplyGrants g = new ReplyGrants(new ReplyRights(1, 120, false, 10));
        g.grant(7, "r/1", null, 0, 0);
        g.grant(7, "r/1", null, 0, 5); // queued, then taken out and decided again
        assertThat(g.use("r/1", null, 10)).isTrue();
        assertThat(g.use("r/1", null, 11)).isFalse();
    }

    @Test
    void aGrantEndsAtTheEarlierOfTheRequestsExpiryAndMaxTtl() {
        ReplyGrants ttl = new ReplyGrants(new ReplyRights(1, 120, false, 10));
        ttl.grant(1, "r/1", null, 0, 1_000); // no expiry: maxTtl, 120 s
        assertThat(ttl.use("r/1", null, 121_000)).isFalse();
        ReplyGrants expiry = new ReplyGrants(new ReplyRights(1, 120, false, 10));
        expiry.grant(1, "r/1", null, 6_000, 1_000); // the request expires at 6 s
        assertThat(expiry.use("r/1", null, 6_000)).isFalse();
        expiry.grant(2, "r/1", null, 6_000, 1_000);
        assertThat(expiry.use("r/1", null, 5_999)).isTrue();
    }

    @Test
    void withRequireCorrelationDataOnlyTheRequestsOwnUsesIt() {
        ReplyGrants g = new ReplyGrants(new ReplyRights(1, 120, true, 10));
        g.grant(1, "r/1", C1, 0, 0);
        g.grant(2, "r/1", C2, 0, 0);
        assertThat(g.use("r/1", null, 1)).isFalse();
        assertThat(g.use("r/1", "c3".getBytes(StandardCharsets.UTF_8), 1)).isFalse();
        assertThat(g.use("r/1", C2, 1)).isTrue();
        assertThat(g.use("r/1", C2, 2)).isFalse();
        assertThat(g.use("r/1", C1, 2)).isTrue();
    }

    @Test
    void beyondMaxGrantsTheOldestIsEvicted() {
        ReplyGrants g = new ReplyGrants(new ReplyRights(1, 120, false, 3));
        for (int i = 0; i < 5; i++) {
            g.grant(i, "r/" + i, null, 0, 0);
        }
        assertThat(g.size()).isEqualTo(3);
        assertThat(g.use("r/0", null, 1)).isFalse();
        assertThat(g.use("r/1", null, 1)).isFalse();
        assertThat(g.use("r/4", null, 1)).isTrue();
    }
}
