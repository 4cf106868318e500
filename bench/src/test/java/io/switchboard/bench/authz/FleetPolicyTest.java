package io.switchboard.bench.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.security.PasswordHash;
import io.switchboard.security.Policy;
import io.switchboard.security.PolicyLoader;
import io.switchboard.security.Rights;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authz-cost benchmark's policy, as the benchmark runs it (10,000 clients, 100 topic spaces, 64
 * pairs): it loads, and it grants each pair of the load exactly what the load does, through
 * templates, and nothing of another pair. The benchmark itself is never run by the build.
 */
class FleetPolicyTest {
    private static final FleetPolicy FLEET = new FleetPolicy(10_000, 100, false);
    private static final List<FleetPolicy.Pair> LOAD = FLEET.load(64);
    private static Policy policy;

    @BeforeAll
    static void load() {
        policy = PolicyLoader.parse(FLEET.yaml(1), "fleet-policy.yaml");
    }

    private static Rights rights(String name) {
        Policy.Client c = policy.client(name).orElseThrow();
        return policy.rightsOf(name, c.attributes(), ResponseTopics.prefixFor(name) + "/#");
    }

    @Test
    void theGeneratedPolicyLoadsWithItsSizes() {
        assertThat(policy.describe()).isEqualTo("10000 clients, 0 client rules, 51 client groups, 100 topic spaces,"
                + " 100 permission bindings");
        assertThat(FLEET.topicSpaces()).isEqualTo(100);
        assertThat(LOAD).hasSize(64).extracting(FleetPolicy.Pair::index).doesNotHaveDuplicates();
        assertThat(LOAD.get(63).index()).isLessThan(5_000);
    }

    @Test
    void eachPairMayDoWhatTheLoadDoesThroughTemplatesAndTheMatchIsScannedLast() {
        for (FleetPolicy.Pair p : LOAD) {
            Rights talker = rights(p.talker());
            Rights listener = rights(p.listener());
            assertThat(talker.mayPublish(p.topic())).as(p.talker()).isTrue();
            assertThat(listener.maySubscribe(p.topic())).as(p.listener()).isTrue();
            assertThat(listener.mayReceive(p.topic())).as(p.listener()).isTrue();
            // the pair's own template comes from the last binding: every other filter is scanned first
            assertThat(talker.publishFilters()).hasSizeBetween(6, 7).last().isEqualTo(p.topic());
            assertThat(listener.subscribeFilters()).hasSizeBetween(7, 8)
                    .element(listener.subscribeFilters().size() - 2).isEqualTo(p.topic());
            assertThat(talker.maySubscribe(p.topic())).isFalse();
            assertThat(listener.mayPublish(p.topic())).isFalse();
            assertThat(listener.maySubscribe("devices/" + p.listener() + "/inbox/+")).isFalse();
        }
    }

    @Test
    void withThePairsBindingFirstTheFirstFilterScannedMatches() {
        FleetPolicy first = new FleetPolicy(400, 8, true);
        Policy small = PolicyLoader.parse(first.yaml(1), "small.yaml");
        FleetPolicy.Pair p = first.load(64).get(5);
        Policy.Client talker = small.client(p.talker()).orElseThrow();
        Policy.Client listener = small.client(p.listener()).orElseThrow();
        assertThat(small.rightsOf(p.talker(), talker.attributes()).publishFilters()).first().isEqualTo(p.topic());
        assertThat(small.rightsOf(p.listener(), listener.attributes()).subscribeFilters()).first().isEqualTo(p.topic());
    }

    @Test
    void noPairReachesAnotherPairsTopicAndTheProbeIsDenied() {
        for (int k = 0; k < LOAD.size(); k++) {
            FleetPolicy.Pair p = LOAD.get(k);
            FleetPolicy.Pair next = LOAD.get((k + 1) % LOAD.size());
            assertThat(rights(p.talker()).mayPublish(next.topic())).isFalse();
            assertThat(rights(p.listener()).mayReceive(next.topic())).isFalse();
        }
        FleetPolicy.Pair probe = FLEET.probe(LOAD.size());
        assertThat(LOAD).extracting(FleetPolicy.Pair::talker).doesNotContain(probe.talker());
        assertThat(LOAD).extracting(FleetPolicy.Pair::listener).doesNotContain(probe.listener());
        assertThat(rights(probe.talker()).mayPublish(probe.topic())).isFalse();
    }

    @Test
    void theClientsPasswordsVerifyAgainstTheirCheapHashes() {
        FleetPolicy.Pair p = LOAD.get(7);
        String hash = policy.client(p.talker()).orElseThrow().passwordHash();
        assertThat(hash).startsWith("$pbkdf2-sha256$i=1$");
        assertThat(PasswordHash.verify(hash, p.talkerPassword())).isTrue();
        assertThat(PasswordHash.verify(hash, p.listenerPassword())).isFalse();
    }
}
