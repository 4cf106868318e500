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

    /**
     * A registered client: its authentication name, whether it may connect, its attributes, and,
     * for a client without a certificate, the hash of its password (a PHC string,
     * {@link PasswordHash}); null when it authenticates by certificate only.
     */
    public record Client(String authenticationName, boolean enabled, Map<String, Object> attributes,
            String passwordHash) {
        public Client {
            Objects.requireNonNull(authenticationName, "authenticationName");
            attributes = Map.copyOf(attributes);
            if (passwordHash != null && !PasswordHash.isHash(passwordHash)) {
                throw new IllegalArgumentException("client '" + authenticationName + "': the password hash is not"
                        + " an Argon2id or PBKDF2-SHA256 PHC string (make one with: switchboard passwd)");
            }
        }

        /** A client that authenticates by certificate. */
        public Client(String authenticationName, boolean enabled, Map<String, Object> attributes) {
            this(authenticationName, enabled, attributes, null);
        }
    }

    /**
     * A client group: the clients its query selects; with {@code replyRights}, its members may answer
     * the requests they receive (docs/security.md, "Reply rights").
     */
    public record ClientGroup(String name, GroupQuery query, ReplyRights replyRights) {
        public ClientGroup(String name, GroupQuery query) {
            this(name, query, null);
        }
    }

    public record TopicSpace(String name, List<TopicTemplate> templates) {
        public TopicSpace {
            templates = List.copyOf(templates);
        }
    }

    public record Binding(String name, String clientGroup, String topicSpace, Permission permission) {
    }

    private final Map<String, Client> clients;
    private final List<CertificateRule> rules;
    private final List<ClientGroup> groups;
    private final Map<String, TopicSpace> spaces;
    private final List<Binding> bindings;

    public Policy(List<Client> clients, List<ClientGroup> groups, List<TopicSpace> spaces, List<Binding> bindings) {
        this(clients, List.of(), groups, spaces, bindings);
    }

    Policy(List<Client> clients, List<CertificateRule> rules, List<ClientGroup> groups, List<TopicSpace> spaces,
            List<Binding> bindings) {
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
        Set<String> ruleNames = new LinkedHashSet<>();
        for (CertificateRule r : rules) {
            if (!ruleNames.add(r.name())) {
                throw new IllegalArgumentException("client rule '" + r.name() + "' is defined twice");
            }
        }
        this.clients = Map.copyOf(byName);
        this.rules = List.copyOf(rules);
        this.groups = List.copyOf(groups);
        this.spaces = Map.copyOf(spaceByName);
        this.bindings = List.copyOf(bindings);
    }

    /** The registered client of this authentication name. */
    public Optional<Client> client(String authenticationName) {
        return Optional.ofNullable(clients.get(authenticationName));
    }

    /** The first registry rule that registers this certificate, if any. */
    Optional<CertificateRule> rule(CertificateFields certificate) {
        for (CertificateRule r : rules) {
            if (r.matches(certificate)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** How many clients are registered by name, and how many rules register populations: for log lines. */
    public String describe() {
        return clients.size() + " clients, " + rules.size() + " client rules, " + groups.size() + " client groups, "
                + spaces.size() + " topic spaces, " + bindings.size() + " permission bindings";
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
        return rightsOf(authenticationName, attributes, null);
    }

    /**
     * The same, with one more subscriber filter that is the client's own whatever the bindings say
     * (its private reply prefix, {@code $reply/<client id>/#}), or null.
     */
    public Rights rightsOf(String authenticationName, Map<String, ?> attributes, String ownFilter) {
        Set<String> in = new LinkedHashSet<>(groupsOf(authenticationName, attributes));
        ReplyRights reply = null;
        for (ClientGroup g : groups) {
            if (reply == null && g.replyRights() != null && in.contains(g.name())) {
                reply = g.replyRights();
            }
        }
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
        if (ownFilter != null) {
            subscribe.add(ownFilter);
        }
        return new Rights(List.copyOf(publish), List.copyOf(subscribe), reply, this);
    }
}
