package io.switchboard.rules.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.switchboard.rules.action.Action;
import io.switchboard.rules.action.FileAction;
import io.switchboard.rules.action.FileActionConfig;
import io.switchboard.rules.action.HttpAction;
import io.switchboard.rules.action.HttpActionConfig;
import io.switchboard.rules.sql.SqlError;
import io.switchboard.rules.sql.SqlException;
import java.time.Clock;
import java.util.stream.Collectors;

/** Builds an action from its settings, or says what is wrong with them. */
final class ActionFactory {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private final Republisher republisher;
    private final Clock clock;

    ActionFactory(Republisher republisher, Clock clock) {
        this.republisher = republisher;
        this.clock = clock;
    }

    /** The action, or an IllegalArgumentException whose message names the key and what is allowed. */
    Action create(RuleSpec.ActionSpec spec) {
        try {
            return switch (spec.kind()) {
                case "republish" -> new RepublishAction(bind(spec, RepublishConfig.class), republisher, clock);
                case "http" -> new HttpAction(bind(spec, HttpActionConfig.class));
                case "file" -> new FileAction(bind(spec, FileActionConfig.class));
                default -> throw new IllegalArgumentException("unknown action '" + spec.kind() + "'");
            };
        } catch (SqlException e) {
            SqlError first = e.first();
            throw new IllegalArgumentException(spec.kind() + ": a template: column " + first.column() + ": "
                    + first.message() + (first.hint().isEmpty() ? "" : " (" + first.hint() + ")"));
        }
    }

    private static <T> T bind(RuleSpec.ActionSpec spec, Class<T> type) {
        JsonNode settings = spec.settings();
        try {
            return MAPPER.treeToValue(settings, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", "));
            throw new IllegalArgumentException(spec.kind() + ": unknown key '" + e.getPropertyName() + "'; allowed: "
                    + known);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            throw new IllegalArgumentException(spec.kind() + ": " + (c != null ? c.getMessage() : e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(spec.kind() + ": " + e.getOriginalMessage());
        }
    }
}
