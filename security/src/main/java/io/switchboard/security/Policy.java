package io.switchboard.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization policy, in Azure Event Grid's vocabulary: registered clients, client groups
 * (a query over their attributes), topic spaces (topic templates) and permission bindings (a group
 * may publish to, or subscribe to, a topic space). Default deny: a client may do only what a
 * binding of one of its groups grants. Immutable and validated as a whole when built: a policy
 * that refers to a group or topic space it does not define is refused, naming it.
 */
public final class Policy {
    /** The group of every client, as in Azure. */
    public static final String ALL = "$all";

    public enum Permission {
        PUBLISHER, SUBSCRIBER
    }

    /** A registered client: its authentication name, whether it may connect, and its attributes. */
    public record Client(String authenticationName, boolean enabled, Map<String, Object> attributes) {
        public Client {
            Objects.requireNonNull(authenticationName, "authenticationName");
            attributes = Map.copyOf(attributes);
        }
    }

    public record ClientGroup(String name, GroupQuery query) {
    }

    public record TopicSpace(String name, List<TopicTemplate> templates) {
        public TopicSpace {
            templates = List.copyOf(templates);
        }
    }

    public record Binding(String name, String clientGroup, String topicSpace, Permission permission) {
    }

    private final Map<String, Client> clients;
    private final List<ClientGroup> groups;
    private final Map<String, TopicSpace> spaces;
    private final List<Binding> bindings;

    public Policy(List<Client> clients, List<ClientGroup> groups, List<TopicSpace> spaces, List<Binding> bindings) {
        Map<String, Client> byName = new HashMap<>();
        for (Client c : clients) {
            if (byName.put(c.authenticationName(), c) != null) {
                throw new IllegalArgumentException("client '" + c.authenticationName() + "' is registered twice");
            }
        }
        Set<String> groupNames = new LinkedHashSet<>();
        groupNames.add(ALL);
        for (ClientGroup g : groups) {
            if (!groupNames.add(g.name())) {
                throw new IllegalArgumentException("client group '" + g.name() + "' is defined twice"
                        + (g.name().equals(ALL) ? " ($all is built in: every client)" : ""));
            }
        }
        Map<String, TopicSpace> spaceByName = new HashMap<>();
        for (TopicSpace s : spaces) {
            if (spaceByName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("topic space '" + s.name() + "' is defined twice");
            }
        }
        Set<String> bindingNames = new LinkedHashSet<>();
        for (Binding b : bindings) {
            if (!bindingNames.add(b.name())) {
                throw new IllegalArgumentException("permission binding '" + b.name() + "' is defined twice");
            }
            if (!groupNames.contains(b.clientGroup())) {
                throw new IllegalArgumentException("permission binding '" + b.name() + "': no client group '"
                        + b.clientGroup() + "' (defined: " + groupNames + ")");
            }
            if (!spaceByName.containsKey(b.topicSpace())) {
                throw new IllegalArgumentException("permission binding '" + b.name() + "': no topic space '"
                        + b.topicSpace() + "' (defined: " + spaceByName.keySet() + ")");
            }
        }
        this.clients = Map.copyOf(byName);
        this.groups = List.copyOf(groups);
        this.spaces = Map.copyOf(spaceByName);
        this.bindings = List.copyOf(bindings);
    }

    /** The registered client of this authentication name. */
    public Optional<Client> client(String authenticationName) {
        return Optional.ofNullable(clients.get(authenticationName));
    }

    /** The groups a client with this name and these attributes is in, {@value #ALL} first. */
    public List<String> groupsOf(String authenticationName, Map<String, ?> attributes) {
        List<String> in = new ArrayList<>();
        in.add(ALL);
        for (ClientGroup g : groups) {
            if (g.query().matches(authenticationName, attributes)) {
                in.add(g.name());
            }
        }
        return in;
    }

    /** What a client with this name and these attributes may do: the bindings of its groups, resolved. */
    public Rights rightsOf(String authenticationName, Map<String, ?> attributes) {
        Set<String> in = new LinkedHashSet<>(groupsOf(authenticationName, attributes));
        Set<String> publish = new LinkedHashSet<>();
        Set<String> subscribe = new LinkedHashSet<>();
        for (Binding b : bindings) {
            if (!in.contains(b.clientGroup())) {
                continue;
            }
            for (TopicTemplate t : spaces.get(b.topicSpace()).templates()) {
                String filter = t.resolve(authenticationName, attributes);
                if (filter != null) {
                    (b.permission() == Permission.PUBLISHER ? publish : subscribe).add(filter);
                }
            }
        }
        return publish.isEmpty() && subscribe.isEmpty() ? Rights.NONE
                : new Rights(List.copyOf(publish), List.copyOf(subscribe));
    }
}
