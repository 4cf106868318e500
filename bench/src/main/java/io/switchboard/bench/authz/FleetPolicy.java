package io.switchboard.bench.authz;

import io.switchboard.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's authorization policy (docs/security.md): a fleet of registered devices, each
 * authenticated by user name and password and given rights only through topic templates.
 *
 * <ul>
 * <li><b>Clients</b> {@code dev-00000} ... : client {@code 2j} is the <i>talker</i> of pair j and
 * {@code 2j+1} its <i>listener</i>; each has the attributes {@code type} (device), {@code role}
 * (talker or listener), {@code peer} (the other of its pair), {@code site} ({@code site-NN}, pair j
 * on site j mod S), {@code floor} (an integer, j mod 20), {@code fleet} ({@code fleet-N}, j mod 4)
 * and {@code caps} (a list: [temp, humidity], [temp] or [door]), and a password hash.
 * <li><b>Client groups</b>, queries over attributes: {@code talkers}, {@code listeners} (role and
 * type), {@code sensors} (caps IN [...]), {@code upperFloors} (floor >= 10), and one per site.
 * <li><b>Topic spaces</b>: two per site, {@code site-NN-up} (publisher: the device's telemetry,
 * events, and its floor's topic) and {@code site-NN-down} (subscriber: its commands, the site's
 * broadcasts, its floor's announcements); then six for the whole fleet: {@code device-status}
 * (publisher, $all), {@code fleet-config} (subscriber, $all), {@code sensor-readings} (publisher,
 * sensors), {@code floor-alarms} (subscriber, upperFloors), and the pair's own channel,
 * {@code peer-send} (publisher, talkers: {@code devices/${client.attributes.peer}/inbox/${client.authenticationName}})
 * and {@code peer-receive} (subscriber, listeners:
 * {@code devices/${client.authenticationName}/inbox/${client.attributes.peer}}).
 * </ul>
 *
 * So the talker of pair j may publish to {@code devices/<listener>/inbox/<talker>}, which only its
 * listener may read. The bindings of the pair's channel come last, so a talker's publisher filters
 * (6 or 7) and a listener's subscriber filters (6 or 7, then its reply prefix) are all scanned, in
 * order, before the one that matches: the longest scan this policy makes. With {@code pairBindingFirst}
 * they come first, and the first filter scanned matches: the shortest.
 */
public final class FleetPolicy {
    /** Topic spaces that are not per site. */
    static final int FLEET_SPACES = 6;
    private static final int FLOORS = 20;
    private static final int FLEETS = 4;
    /** The pair's channel: the talker publishes into its listener's inbox, which the listener reads. */
    private static final String PAIR_BINDINGS = """
              - {name: peer-send, clientGroupName: talkers, topicSpaceName: peer-send, permission: publisher}
              - {name: peer-receive, clientGroupName: listeners, topicSpaceName: peer-receive, permission: subscriber}
            """;

    private final int clients;
    private final int sites;
    private final boolean pairBindingFirst;

    /** One pair of the load: who publishes, who receives, on which topic, with which passwords. */
    public record Pair(int index, String talker, String listener, String topic) {
        public byte[] talkerPassword() {
            return password(talker);
        }

        public byte[] listenerPassword() {
            return password(listener);
        }
    }

    /**
     * @param clients registered clients, even (two per pair), at least 4
     * @param topicSpaces topic spaces in all: two per site and {@value #FLEET_SPACES} more; even, at least 8
     * @param pairBindingFirst the bindings of the pair's channel first rather than last
     */
    public FleetPolicy(int clients, int topicSpaces, boolean pairBindingFirst) {
        if (clients < 4 || clients % 2 != 0) {
            throw new IllegalArgumentException("clients " + clients + ": an even number, at least 4");
        }
        if (topicSpaces < FLEET_SPACES + 2 || (topicSpaces - FLEET_SPACES) % 2 != 0) {
            throw new IllegalArgumentException("topic spaces " + topicSpaces + ": an even number, at least "
                    + (FLEET_SPACES + 2) + " (two per site and " + FLEET_SPACES + " for the fleet)");
        }
        this.clients = clients;
        this.sites = (topicSpaces - FLEET_SPACES) / 2;
        this.pairBindingFirst = pairBindingFirst;
    }

    public int clients() {
        return clients;
    }

    public int pairs() {
        return clients / 2;
    }

    public int sites() {
        return sites;
    }

    public int topicSpaces() {
        return 2 * sites + FLEET_SPACES;
    }

    /** Client groups: talkers, listeners, sensors, upperFloors and one per site. */
    public int clientGroups() {
        return 4 + sites;
    }

    public static String name(int client) {
        return String.format(Locale.ROOT, "dev-%05d", client);
    }

    /** The password of a client: known to the benchmark, which is all it must be. */
    public static byte[] password(String name) {
        return ("pw-" + name).getBytes(StandardCharsets.UTF_8);
    }

    public Pair pair(int j) {
        if (j < 0 || j >= pairs()) {
            throw new IllegalArgumentException("pair " + j + ": 0.." + (pairs() - 1));
        }
        String talker = name(2 * j);
        String listener = name(2 * j + 1);
        return new Pair(j, talker, listener, "devices/" + listener + "/inbox/" + talker);
    }

    /** {@code n} pairs spread evenly over the fleet (pair 0, then every pairs()/n-th). */
    public List<Pair> load(int n) {
        if (n < 1 || n > pairs()) {
            throw new IllegalArgumentException("pairs " + n + ": 1.." + pairs() + " (the fleet has " + clients
                    + " clients)");
        }
        int stride = pairs() / n;
        List<Pair> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(pair(k * stride));
        }
        return out;
    }

    /**
     * A registered client that is not in the load of {@code n} pairs, and a topic it may not publish to
     * and nobody subscribes to: the probe that shows a policy is in force (PUBACK 0x87) or not (0x10).
     */
    public Pair probe(int n) {
        int stride = pairs() / n;
        if (stride < 2) {
            throw new IllegalArgumentException("no pair is left out of the load for the probe: fewer pairs, or more clients");
        }
        Pair outsider = pair(1);
        Pair other = pair(pairs() - 1);
        return new Pair(-1, outsider.talker(), other.listener(), "devices/" + other.listener() + "/inbox/"
                + outsider.talker());
    }

    /**
     * The policy as YAML, each client with a PBKDF2-SHA256 hash of {@code iterations} (a fresh salt
     * each). The hash's cost is paid at each CONNECT, never per message: 1 keeps connecting 10,000
     * clients fast.
     */
    public String yaml(int iterations) {
        StringBuilder y = new StringBuilder(clients * 260);
        y.append("# The authz-cost benchmark's policy: ").append(clients).append(" clients, ").append(clientGroups())
                .append(" client groups, ").append(topicSpaces()).append(" topic spaces, ").append(topicSpaces())
                .append(" permission bindings (bench/src/main/java/io/switchboard/bench/authz/FleetPolicy.java)\n");
        y.append("clients:\n");
        for (int i = 0; i < clients; i++) {
            int j = i / 2;
            boolean talker = i % 2 == 0;
            String caps = switch (j % 3) {
                case 0 -> "[temp, humidity]";
                case 1 -> "[temp]";
                default -> "[door]";
            };
            y.append("  - {authenticationName: ").append(name(i)).append(", passwordHash: '")
                    .append(PasswordHash.pbkdf2(password(name(i)), iterations)).append("', attributes: {type: device, role: ")
                    .append(talker ? "talker" : "listener").append(", peer: ").append(name(talker ? i + 1 : i - 1))
                    .append(", site: ").append(site(j % sites)).append(", floor: ").append(j % FLOORS)
                    .append(", fleet: fleet-").append(j % FLEETS).append(", caps: ").append(caps).append("}}\n");
        }
        y.append("clientGroups:\n");
        y.append("  - {name: talkers, query: 'attributes.role = \"talker\" and attributes.type = \"device\"'}\n");
        y.append("  - {name: listeners, query: 'attributes.role = \"listener\" and attributes.type = \"device\"'}\n");
        y.append("  - {name: sensors, query: \"attributes.caps IN ['temp', 'humidity']\"}\n");
        y.append("  - {name: upperFloors, query: 'attributes.floor >= 10'}\n");
        for (int s = 0; s < sites; s++) {
            y.append("  - {name: ").append(site(s)).append(", query: 'attributes.site = \"").append(site(s)).append("\"'}\n");
        }
        y.append("topicSpaces:\n");
        for (int s = 0; s < sites; s++) {
            String p = "sites/" + site(s) + "/";
            y.append("  - {name: ").append(site(s)).append("-up, topicTemplates: ['").append(p)
                    .append("${client.authenticationName}/telemetry', '").append(p)
                    .append("${client.authenticationName}/events/+', '").append(p)
                    .append("floors/${client.attributes.floor}/${client.authenticationName}']}\n");
            y.append("  - {name: ").append(site(s)).append("-down, topicTemplates: ['").append(p)
                    .append("${client.authenticationName}/commands/#', '").append(p).append("broadcast/#', '")
                    .append(p).append("floors/${client.attributes.floor}/announce']}\n");
        }
        y.append("""
                  - {name: device-status, topicTemplates: ['devices/${client.authenticationName}/status', 'devices/${client.authenticationName}/metrics/#']}
                  - {name: fleet-config, topicTemplates: ['fleets/${client.attributes.fleet}/config/#', 'fleets/${client.attributes.fleet}/firmware/${client.attributes.type}']}
                  - {name: sensor-readings, topicTemplates: ['readings/${client.attributes.fleet}/${client.authenticationName}/+']}
                  - {name: floor-alarms, topicTemplates: ['alarms/floors/${client.attributes.floor}/#']}
                  - {name: peer-send, topicTemplates: ['devices/${client.attributes.peer}/inbox/${client.authenticationName}']}
                  - {name: peer-receive, topicTemplates: ['devices/${client.authenticationName}/inbox/${client.attributes.peer}']}
                """);
        y.append("permissionBindings:\n");
        if (pairBindingFirst) {
            y.append(PAIR_BINDINGS);
        }
        for (int s = 0; s < sites; s++) {
            y.append("  - {name: ").append(site(s)).append("-up, clientGroupName: ").append(site(s))
                    .append(", topicSpaceName: ").append(site(s)).append("-up, permission: publisher}\n");
            y.append("  - {name: ").append(site(s)).append("-down, clientGroupName: ").append(site(s))
                    .append(", topicSpaceName: ").append(site(s)).append("-down, permission: subscriber}\n");
        }
        y.append("""
                  - {name: device-status, clientGroupName: $all, topicSpaceName: device-status, permission: publisher}
                  - {name: fleet-config, clientGroupName: $all, topicSpaceName: fleet-config, permission: subscriber}
                  - {name: sensor-readings, clientGroupName: sensors, topicSpaceName: sensor-readings, permission: publisher}
                  - {name: floor-alarms, clientGroupName: upperFloors, topicSpaceName: floor-alarms, permission: subscriber}
                """);
        if (!pairBindingFirst) {
            y.append(PAIR_BINDINGS);
        }
        return y.toString();
    }

    private static String site(int s) {
        return String.format(Locale.ROOT, "site-%02d", s);
    }
}
