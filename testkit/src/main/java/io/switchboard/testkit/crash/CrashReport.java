package io.switchboard.testkit.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accounting at the end of a run: for every acknowledged message and every subscriber (all were
 * subscribed before the first message was published, and stay subscribed), whether it was received,
 * and how many times. A delivery is at the lower of the published QoS and the subscription's; at
 * QoS 1 a message may come more than once, at QoS 2 exactly once. Lost is acknowledged and never
 * received.
 */
final class CrashReport {
    /** What the run was, for the table's header. */
    record Run(int cycles, int kills, long seed, String durability, long minLoadMillis, long maxLoadMillis,
            int ratePerPublisher, int window, long seconds, long inFlightAtKills, List<String> brokerErrors,
            String stopped) {
    }

    /** The deliveries of acknowledged messages published at one QoS to subscriptions of one QoS. */
    record Flow(int publishQos, int subscriptionQos, long expected, long received, long lost, long duplicated,
            long extraCopies) {
        int deliveryQos() {
            return Math.min(publishQos, subscriptionQos);
        }
    }

    record SubscriberLine(Subscriber s, long expected, long received, long lost, long duplicated) {
    }

    private final Run run;
    private final List<Publisher> publishers;
    private final List<Subscriber> subscribers;
    final long[] sent = new long[3];
    final long[] acknowledged = new long[3];
    final long[] refused = new long[3];
    final long[] unanswered = new long[3];
    final long[] noMatchingSubscribers = new long[3];
    final List<Flow> flows = new ArrayList<>();
    final List<SubscriberLine> lines = new ArrayList<>();
    long receivedUnacknowledged;
    final List<String> lostListed = new ArrayList<>();
    final List<String> qos2DuplicatesListed = new ArrayList<>();
    final List<String> failures = new ArrayList<>();

    private CrashReport(Run run, List<Publisher> publishers, List<Subscriber> subscribers) {
        this.run = run;
        this.publishers = publishers;
        this.subscribers = subscribers;
    }

    static CrashReport account(Run run, List<Publisher> publishers, List<Subscriber> subscribers) {
        CrashReport r = new CrashReport(run, publishers, subscribers);
        r.count();
        r.judge();
        return r;
    }

    private void count() {
        for (Publisher p : publishers) {
            sent[p.qos] += p.sent();
            acknowledged[p.qos] += p.acknowledgedCount();
            refused[p.qos] += p.refusedCount();
            unanswered[p.qos] += p.outstanding();
            noMatchingSubscribers[p.qos] += p.noMatchingSubscribers();
        }
        long[][][] f = new long[3][3][5]; // [publish QoS][subscription QoS][expected, received, lost, dup, extra]
        for (Subscriber s : subscribers) {
            long expected = 0;
            long received = 0;
            long lost = 0;
            long duplicated = 0;
            for (Publisher p : publishers) {
                int n = p.sent();
                for (int seq = 0; seq < n; seq++) {
                    int c = s.count(p.index, seq);
                    if (!p.acknowledged(seq)) {
                        if (c > 0) {
                            receivedUnacknowledged++;
                        }
                        continue;
                    }
                    long[] cell = f[p.qos][s.qos];
                    cell[0]++;
                    expected++;
                    if (c == 0) {
                        cell[2]++;
                        lost++;
                        if (lostListed.size() < Subscriber.MAX_LISTED) {
                            lostListed.add(String.format("%s never received %s (QoS %d; sent in cycle %d, acknowledged"
                                    + " in cycle %d)", s.name, p.message(seq), p.qos, p.sentInCycle(seq),
                                    p.acknowledgedInCycle(seq)));
                        }
                        continue;
                    }
                    cell[1]++;
                    received++;
                    if (c > 1) {
                        cell[3]++;
                        cell[4] += c - 1;
                        if (Math.min(p.qos, s.qos) == 2) {
                            duplicated++;
                            if (qos2DuplicatesListed.size() < Subscriber.MAX_LISTED) {
                                qos2DuplicatesListed.add(describeDuplicate(s, p, seq, c));
                            }
                        }
                    }
                }
            }
            lines.add(new SubscriberLine(s, expected, received, lost, duplicated));
        }
        for (int pq = 1; pq <= 2; pq++) {
            for (int sq = 1; sq <= 2; sq++) {
                long[] c = f[pq][sq];
                flows.add(new Flow(pq, sq, c[0], c[1], c[2], c[3], c[4]));
            }
        }
    }

    /**
     * A QoS 2 message received more than once, and by whom else: if every subscriber has it more
     * than once, the broker took the PUBLISH twice (the publisher's resend was routed again rather than
     * recognised by its packet id); if only some do, the broker delivered it twice to them.
     */
    private String describeDuplicate(Subscriber s, Publisher p, int seq, int copies) {
        int others = 0;
        int othersTwice = 0;
        for (Subscriber o : subscribers) {
            if (o != s) {
                others++;
                if (o.count(p.index, seq) > 1) {
                    othersTwice++;
                }
            }
        }
        String where = othersTwice == others
                ? "every subscriber has it more than once: routed twice (the publisher's resend was not recognised)"
                : othersTwice + " of " + others + " other subscribers have it more than once: delivered twice to "
                        + s.name;
        return String.format("%s received %s %d times (first in cycle %d, last in cycle %d; sent in cycle %d,"
                + " acknowledged in cycle %d); %s", s.name, p.message(seq), copies, s.firstCycle(p.index, seq),
                s.lastCycle(p.index, seq), p.sentInCycle(seq), p.acknowledgedInCycle(seq), where);
    }

    private void judge() {
        if (run.stopped() != null) {
            failures.add("the run stopped " + run.stopped());
        }
        long lost = flows.stream().mapToLong(Flow::lost).sum();
        long qos2Duplicates = flows.stream().filter(x -> x.deliveryQos() == 2).mapToLong(Flow::duplicated).sum();
        if (lost > 0) {
            failures.add(String.format("%,d deliveries of acknowledged messages lost", lost));
        }
        if (qos2Duplicates > 0) {
            failures.add(String.format("%,d QoS 2 deliveries duplicated", qos2Duplicates));
        }
        long unansweredAll = unanswered[1] + unanswered[2];
        if (unansweredAll > 0) {
            failures.add(String.format("%,d messages never answered by the broker (PUBACK/PUBREC) though their"
                    + " publishers were connected", unansweredAll));
        }
        for (Subscriber s : subscribers) {
            if (s.anomalyCount() > 0) {
                failures.add(s.name + ": " + s.anomalyCount() + " unexpected receipts");
            }
        }
        for (CrashClient c : clients()) {
            if (c.sessionsLost() > 0) {
                failures.add(c.id + ": " + c.sessionsLost() + " reconnections found no session (Session Present 0)");
            }
            if (c.protocolErrors() > 0) {
                failures.add(c.id + ": the client library closed the connection " + c.protocolErrors()
                        + " times for a protocol error of the broker's");
            }
        }
        if (acknowledged[1] == 0 || acknowledged[2] == 0) {
            failures.add("nothing acknowledged at QoS " + (acknowledged[1] == 0 ? 1 : 2) + ": the run proves nothing");
        }
        if (run.stopped() == null && run.kills() < run.cycles()) {
            failures.add("only " + run.kills() + " of " + run.cycles() + " kills happened");
        }
    }

    private List<CrashClient> clients() {
        List<CrashClient> all = new ArrayList<>();
        publishers.forEach(p -> all.add(p.client));
        subscribers.forEach(s -> all.add(s.client));
        return all;
    }

    boolean passed() {
        return failures.isEmpty();
    }

    long lost() {
        return flows.stream().mapToLong(Flow::lost).sum();
    }

    long qos2Duplicates() {
        return flows.stream().filter(x -> x.deliveryQos() == 2).mapToLong(Flow::duplicated).sum();
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Crash test: %d cycles, %d SIGKILLs, seed %d, durability %s, %d cores,"
                + " JDK %s, %d s%n", run.cycles(), run.kills(), run.seed(), run.durability(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), run.seconds()));
        b.append(String.format(Locale.ROOT, "  load %d to %d ms per cycle; each publisher %s, at most %d messages"
                + " unanswered; %,d messages unanswered at the kills in all%n", run.minLoadMillis(), run.maxLoadMillis(),
                run.ratePerPublisher() == 0 ? "as fast as answered" : run.ratePerPublisher() + " messages/s",
                run.window(), run.inFlightAtKills()));
        b.append(String.format(Locale.ROOT, "  publishers: %s%n", String.join(", ", publishers.stream()
                .map(p -> p.name + " (" + p.client.version() + ", QoS " + p.qos + ")").toList())));
        b.append(String.format(Locale.ROOT, "  subscribers (crash/#, persistent sessions): %s%n",
                String.join(", ", subscribers.stream().map(s -> s.name + " (" + s.client.version() + ", QoS " + s.qos
                        + ", " + s.mode() + ")").toList())));
        b.append('\n');
        b.append(String.format("%-44s %12s %12s %12s%n", "Messages", "QoS 1", "QoS 2", "total"));
        row(b, "sent", sent);
        row(b, "acknowledged (PUBACK / PUBREC)", acknowledged);
        row(b, "  of which 0x10 no matching subscribers", noMatchingSubscribers);
        row(b, "refused (error code, or session lost)", refused);
        row(b, "never answered", unanswered);
        b.append('\n');
        b.append(String.format("%-44s %10s %10s %8s %10s%n", "Deliveries of acknowledged messages", "expected",
                "received", "lost", "duplicated"));
        for (Flow x : flows) {
            String label = String.format("QoS %d to QoS %d subscriptions (at QoS %d)", x.publishQos(),
                    x.subscriptionQos(), x.deliveryQos());
            b.append(String.format(Locale.ROOT, "%-44s %,10d %,10d %,8d %,10d%n", label, x.expected(), x.received(),
                    x.lost(), x.duplicated()));
        }
        b.append(String.format(Locale.ROOT, "%-44s %,10d %,10d %,8d %,10d%n", "total",
                flows.stream().mapToLong(Flow::expected).sum(), flows.stream().mapToLong(Flow::received).sum(),
                lost(), flows.stream().mapToLong(Flow::duplicated).sum()));
        b.append(String.format(Locale.ROOT, "  lost at QoS 1/2: %,d; duplicated at QoS 2: %,d; duplicated at QoS 1"
                + " (allowed): %,d (%,d extra copies); received but never acknowledged: %,d%n", lost(),
                qos2Duplicates(), flows.stream().filter(x -> x.deliveryQos() == 1).mapToLong(Flow::duplicated).sum(),
                flows.stream().filter(x -> x.deliveryQos() == 1).mapToLong(Flow::extraCopies).sum(),
                receivedUnacknowledged));
        b.append('\n');
        b.append(String.format("%-12s %-6s %-4s %-13s %9s %9s %6s %7s %8s %8s%n", "Subscriber", "MQTT", "QoS",
                "mode", "expected", "received", "lost", "QoS2dup", "offline", "resumed"));
        for (SubscriberLine l : lines) {
            Subscriber s = l.s();
            b.append(String.format(Locale.ROOT, "%-12s %-6s %-4d %-13s %,9d %,9d %,6d %,7d %8s %8s%n", s.name,
                    s.client.version(), s.qos, s.mode(), l.expected(), l.received(), l.lost(), l.duplicated(),
                    s.intermittent ? s.offlineCycles + " cyc" : "-",
                    (s.client.connacks() - 1 - s.client.sessionsLost()) + "/" + (s.client.connacks() - 1)));
        }
        b.append(String.format("  resumed: reconnections that found the session (Session Present 1) / all"
                + " reconnections; offline: cycles spent offline%n"));
        if (!lostListed.isEmpty() || !qos2DuplicatesListed.isEmpty()) {
            b.append(String.format("%nCycle n runs from the restart after kill n-1 to kill n; cycle %d is the end.%n",
                    run.cycles() + 1));
        }
        if (!lostListed.isEmpty()) {
            b.append("\nLost (first ").append(lostListed.size()).append("):\n");
            lostListed.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        if (!qos2DuplicatesListed.isEmpty()) {
            b.append("\nQoS 2 duplicates (first ").append(qos2DuplicatesListed.size()).append("):\n");
            qos2DuplicatesListed.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        b.append("\nConnections lost, by who closed them and the client library's exception:\n");
        for (CrashClient c : clients()) {
            b.append(String.format("  %-18s %s%n", c.id, c.disconnects().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getValue().get() + " x " + e.getKey()).reduce((x, y) -> x + ", " + y).orElse("none")));
        }
        b.append("  (SERVER/CLIENT ConnectionClosedException: the kill; CLIENT ConnectionFailedException: an attempt"
                + " while the broker restarted)\n");
        List<String> protocolErrors = new ArrayList<>();
        clients().forEach(c -> protocolErrors.addAll(c.protocolErrorMessages()));
        if (!protocolErrors.isEmpty()) {
            b.append("\nProtocol errors the client library found (first of each client):\n");
            protocolErrors.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        List<String> refusals = new ArrayList<>();
        for (Publisher p : publishers) {
            for (Map.Entry<String, Integer> e : p.refusals().entrySet()) {
                refusals.add(p.name + ": " + e.getValue() + " x " + e.getKey());
            }
        }
        if (!refusals.isEmpty()) {
            b.append("\nRefused:\n");
            refusals.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        List<String> anomalies = new ArrayList<>();
        subscribers.forEach(s -> anomalies.addAll(s.anomalies()));
        if (!anomalies.isEmpty()) {
            b.append("\nUnexpected receipts:\n");
            anomalies.forEach(l -> b.append("  ").append(l).append('\n'));
        }
        if (!run.brokerErrors().isEmpty()) {
            b.append("\nBroker log lines at ERROR (first ").append(run.brokerErrors().size()).append("):\n");
            run.brokerErrors().forEach(l -> b.append("  ").append(l).append('\n'));
        }
        b.append('\n');
        if (passed()) {
            b.append("PASS: every acknowledged message reached every subscriber; no QoS 2 delivery came twice.\n");
        } else {
            b.append("FAIL: ").append(String.join("; ", failures)).append('\n');
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String label, long[] byQos) {
        b.append(String.format(Locale.ROOT, "%-44s %,12d %,12d %,12d%n", label, byQos[1], byQos[2], byQos[1] + byQos[2]));
    }
}
