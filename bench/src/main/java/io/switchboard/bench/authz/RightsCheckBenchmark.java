package io.switchboard.bench.authz;

import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.security.Policy;
import io.switchboard.security.PolicyLoader;
import io.switchboard.security.Rights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one authorization check costs the broker per message, alone: {@link Rights#mayPublish} of a
 * talker of the authz-cost benchmark's policy ({@link FleetPolicy}: 10,000 clients, 100 topic spaces)
 * on its pair's topic, as each PUBLISH is checked, and {@link Rights#mayReceive} of its listener, as
 * each delivery is. With {@code pairBinding} last the topic's filter is the client's last (every
 * filter is tried first: 7 for the talker, 6 for the listener); first, the first one tried matches.
 * Nanoseconds per check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RightsCheckBenchmark {
    @Param({"last", "first"})
    public String pairBinding;

    private Rights talker;
    private Rights listener;
    private String topic;

    @Setup(Level.Trial)
    public void setUp() {
        FleetPolicy fleet = new FleetPolicy(10_000, 100, pairBinding.equals("first"));
        Policy policy = PolicyLoader.parse(fleet.yaml(1), "fleet-policy.yaml");
        FleetPolicy.Pair pair = fleet.load(64).get(0);
        talker = rights(policy, pair.talker());
        listener = rights(policy, pair.listener());
        // a topic String of its own, as the decoder makes one for each PUBLISH
        topic = new String(pair.topic().toCharArray());
        if (!talker.mayPublish(topic) || !listener.mayReceive(topic)) {
            throw new IllegalStateException("the pair's rights do not grant its topic " + topic);
        }
    }

    private static Rights rights(Policy policy, String name) {
        return policy.rightsOf(name, policy.client(name).orElseThrow().attributes(), ResponseTopics.prefixFor(name) + "/#");
    }

    @Benchmark
    public boolean mayPublish() {
        return talker.mayPublish(topic);
    }

    @Benchmark
    public boolean mayReceive() {
        return listener.mayReceive(topic);
    }
}
