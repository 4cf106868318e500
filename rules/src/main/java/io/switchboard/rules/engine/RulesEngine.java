package io.switchboard.rules.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.protocol.PublishTap;
import io.switchboard.rules.action.Action;
import io.switchboard.rules.action.ActionInput;
import io.switchboard.rules.sql.Evaluation;
import io.switchboard.rules.sql.RuleInput;
import io.switchboard.rules.sql.SqlError;
import io.switchboard.rules.sql.SqlException;
import io.switchboard.rules.sql.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules on the messages clients publish. For each message the broker accepted, on the
 * publisher's event loop: the rules whose FROM matches (a tree of topic levels, {@link RuleSet}) are
 * evaluated against one shared input (its JSON parsed at most once), and each output is handed to
 * the rule's actions, which never block. Whatever fails (the statement, an action) becomes an error
 * record for the rule's error action, and is counted. Messages the rules republish are the broker's
 * own: they never come back here.
 *
 * <p>A new rule set is compiled whole before it replaces the one in force: one invalid rule refuses
 * all of it, and nothing changes. Rules whose definition did not change keep their actions (queues,
 * connections) and counters.
 */
public final class RulesEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RulesEngine.class);

    private final ActionFactory factory;
    private final Clock clock;
    private final ErrorLog errors;
    private volatile RuleSet set = RuleSet.EMPTY;

    public RulesEngine(Republisher republisher, Clock clock) {
        this.factory = new ActionFactory(republisher, clock);
        this.clock = clock;
        this.errors = new ErrorLog(clock);
    }

    /**
     * A message a client published, accepted by the broker. On the publisher's event loop; never
     * blocks. The clock is read only when a rule matches ({@code timestamp()}).
     */
    public void published(Message message, String clientId, String principal) {
        published(message, clientId, principal, null);
    }

    /**
     * As {@link #published(Message, String, String)}, with the publisher's connection's memo: the
     * rules its last topic matched are kept there, so that a client publishing to the same topic again
     * (as devices do) costs a string comparison, not a walk of the rule tree.
     */
    public void published(Message message, String clientId, String principal, PublishTap.Memo memo) {
        List<CompiledRule> hits = match(message.topic(), memo);
        if (hits.isEmpty()) {
            return;
        }
        RuleInput input = RuleInput.of(new BrokerMessage(message, clientId, principal, clock.millis()));
        for (CompiledRule r : hits) {
            run(r, input);
        }
    }

    private List<CompiledRule> match(String topic, PublishTap.Memo memo) {
        RuleSet s = set;
        if (memo == null) {
            return s.match(topic);
        }
        LastMatch last = memo.value instanceof LastMatch l ? l : null;
        if (last != null && last.set == s && last.topic.equals(topic)) {
            return last.hits;
        }
        List<CompiledRule> hits = s.match(topic);
        if (last == null) {
            memo.value = new LastMatch(s, topic, hits);
        } else {
            last.set = s; // the connection's event loop only: no other thread reads it
            last.topic = topic;
            last.hits = hits;
        }
        return hits;
    }

    /** A connection's last topic and the rules it matched in a rule set; kept in its memo. */
    private static final class LastMatch {
        RuleSet set;
        String topic;
        List<CompiledRule> hits;

        LastMatch(RuleSet set, String topic, List<CompiledRule> hits) {
            this.set = set;
            this.topic = topic;
            this.hits = hits;
        }
    }

    private void run(CompiledRule r, RuleInput input) {
        RuleCounters c = r.counters();
        c.matched.increment();
        Evaluation e = r.statement().evaluate(input);
        if (e instanceof Evaluation.Output o) {
            c.passed.increment();
            byte[] output = o.toBytes();
            for (Action a : r.actions()) {
                ActionInput in = new ActionInput(r.name(), input, output);
                a.run(in).whenComplete((v, error) -> {
                    if (error == null) {
                        c.actionSucceeded(a.kind());
                    } else {
                        c.actionFailed(a.kind());
                        c.failed(a.kind());
                        failed(r, input, a.kind(), message(error));
                    }
                });
            }
        } else if (e instanceof Evaluation.Failure f) {
            c.failed(switch (f.kind()) {
                case PAYLOAD_NOT_JSON -> RuleCounters.PAYLOAD_NOT_JSON;
                case PAYLOAD_NOT_OBJECT -> RuleCounters.PAYLOAD_NOT_OBJECT;
                default -> RuleCounters.RUNTIME_ERROR;
            });
            failed(r, input, "sql", f.toString());
        }
    }

    /** The error record of a failure, to the rule's error action (and the log, rate-limited). */
    private void failed(CompiledRule r, RuleInput input, String failedAction, String error) {
        errors.log(r.name(), input.message().topic(), failedAction, error);
        Action ea = r.errorAction();
        if (ea == null) {
            return;
        }
        byte[] record = errorRecord(r.name(), input, failedAction, error);
        try {
            ea.run(new ActionInput(r.name(), input, record)).whenComplete((v, e2) -> {
                if (e2 != null) {
                    r.counters().errorActionFailed.increment();
                    errors.log(r.name(), input.message().topic(), "errorAction " + ea.kind(), message(e2));
                }
            });
        } catch (RuntimeException e) {
            r.counters().errorActionFailed.increment();
            LOG.warn("Rule {}: its error action failed: {}", r.name(), e.toString());
        }
    }

    /** {rule, topic, clientId, payloadBase64, failedAction, error, timestamp}: what an error action receives. */
    byte[] errorRecord(String rule, RuleInput input, String failedAction, String error) {
        ObjectNode o = RulesFile.YAML.createObjectNode();
        o.put("rule", rule);
        o.put("topic", input.message().topic());
        o.put("clientId", input.message().clientId());
        o.put("payloadBase64", Base64.getEncoder().encodeToString(input.message().payload()));
        o.put("failedAction", failedAction);
        o.put("error", error);
        o.put("timestamp", Instant.ofEpochMilli(clock.millis()).toString());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String message(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** The rules in force, in order. */
    public List<CompiledRule> rules() {
        return set.all();
    }

    /** One rule in force, or null. */
    public CompiledRule rule(String name) {
        return set.get(name);
    }

    /**
     * Compiles {@code specs} whole and puts them in force; rules whose definition did not change keep
     * their actions and counters, the others' actions are closed.
     *
     * @throws RulesException listing every problem, each with its place; the rules in force stay
     */
    public synchronized void replace(List<RuleSpec> specs, String source) {
        replace(specs, source, List.of());
    }

    /** As {@link #replace(List, String)}, with problems found before (the file's structure) refusing it too. */
    public synchronized void replace(List<RuleSpec> specs, String source, List<String> before) {
        RuleSet old = set;
        List<String> problems = new ArrayList<>(before);
        List<CompiledRule> compiled = new ArrayList<>();
        List<CompiledRule> built = new ArrayList<>();
        List<CompiledRule> kept = new ArrayList<>();
        for (RuleSpec spec : specs) {
            CompiledRule same = old.get(spec.name());
            if (same != null && same.sameDefinition(spec)) {
                compiled.add(same.spec().enabled() == spec.enabled() && same.spec().line() == spec.line() ? same
                        : same.withSpec(spec));
                kept.add(same);
                continue;
            }
            CompiledRule r = compile(spec, source, problems);
            if (r != null) {
                compiled.add(r);
                built.add(r);
            }
        }
        if (!problems.isEmpty()) {
            built.forEach(CompiledRule::close);
            throw new RulesException(problems);
        }
        set = new RuleSet(compiled);
        for (CompiledRule r : old.all()) {
            if (!kept.contains(r)) {
                r.close();
            }
        }
    }

    /** A rule compiled on its own (the whole set is checked by {@link #replace}); null with problems added. */
    CompiledRule compile(RuleSpec spec, String source, List<String> problems) {
        String where = RulesFile.where(source, spec.line(), spec.name());
        SqlStatement statement;
        try {
            statement = SqlStatement.parse(spec.sql());
        } catch (SqlException e) {
            for (SqlError err : e.errors()) {
                problems.add(where + "sql line " + err.line() + ", column " + err.column() + ": " + err.message()
                        + (err.hint().isEmpty() ? "" : " (" + err.hint() + ")"));
            }
            return null;
        }
        List<Action> actions = new ArrayList<>();
        Action errorAction = null;
        int before = problems.size();
        for (RuleSpec.ActionSpec a : spec.actions()) {
            try {
                actions.add(factory.create(a));
            } catch (IllegalArgumentException e) {
                problems.add(where + "actions: " + e.getMessage());
            }
        }
        if (spec.errorAction() != null) {
            try {
                errorAction = factory.create(spec.errorAction());
            } catch (IllegalArgumentException e) {
                problems.add(where + "errorAction: " + e.getMessage());
            }
        }
        CompiledRule r = new CompiledRule(spec, statement, actions, errorAction);
        if (problems.size() > before) {
            r.close();
            return null;
        }
        return r;
    }

    @Override
    public synchronized void close() {
        RuleSet old = set;
        set = RuleSet.EMPTY;
        old.all().forEach(CompiledRule::close);
    }
}
