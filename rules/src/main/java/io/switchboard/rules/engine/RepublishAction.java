package io.switchboard.rules.engine;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.routing.Topics;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import io.switchboard.rules.action.Action;
import io.switchboard.rules.action.ActionFailure;
import io.switchboard.rules.action.ActionInput;
import io.switchboard.rules.sql.RuleInput;
import io.switchboard.rules.sql.SqlException;
import io.switchboard.rules.sql.SqlTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Republishes a rule's output as the broker's own message, with the configured QoS, retain flag and
 * MQTT 5 headers. The topic and headers are rendered on the caller's thread (the publisher's event
 * loop); routing is the broker's, and the stage completes once what it stored is durable.
 */
final class RepublishAction implements Action {
    private final RepublishConfig config;
    private final SqlTemplate topic;
    private final SqlTemplate contentType;
    private final SqlTemplate responseTopic;
    private final SqlTemplate correlationData;
    private final List<SqlTemplate[]> userProperties = new ArrayList<>();
    private final Republisher republisher;
    private final Clock clock;

    RepublishAction(RepublishConfig config, Republisher republisher, Clock clock) throws SqlException {
        this.config = config;
        this.republisher = republisher;
        this.clock = clock;
        this.topic = SqlTemplate.parse(config.topic());
        this.contentType = config.contentType().isEmpty() ? null : SqlTemplate.parse(config.contentType());
        this.responseTopic = config.responseTopic() == null ? null : SqlTemplate.parse(config.responseTopic());
        this.correlationData = config.correlationData() == null ? null : SqlTemplate.parse(config.correlationData());
        for (RepublishConfig.UserPropertyTemplate u : config.userProperties()) {
            userProperties.add(new SqlTemplate[] {SqlTemplate.parse(u.name()), SqlTemplate.parse(u.value())});
        }
    }

    @Override
    public String kind() {
        return "republish";
    }

    @Override
    public CompletionStage<Void> run(ActionInput input) {
        Message m;
        try {
            m = message(input);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ActionFailure(e.getMessage()));
        }
        try {
            return republisher.publish(m).thenApply(n -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ActionFailure("republish to '" + m.topic() + "' failed: " + e, e));
        }
    }

    private Message message(ActionInput input) {
        RuleInput in = input.message();
        String t = topic.render(in);
        String problem = Topics.checkName(t);
        if (problem != null) {
            throw new IllegalArgumentException("republish: " + problem);
        }
        if (t.startsWith(Topics.SYS_PREFIX)) {
            throw new IllegalArgumentException("republish: '" + t + "' is a $SYS/ topic, the broker's own");
        }
        Properties.Builder p = Properties.builder();
        if (contentType != null) {
            p.contentType(contentType.render(in));
        }
        if (responseTopic != null) {
            String rt = responseTopic.render(in);
            String rtProblem = Topics.checkName(rt);
            if (rtProblem != null) {
                throw new IllegalArgumentException("republish responseTopic: " + rtProblem);
            }
            p.responseTopic(rt); // [MQTT-3.3.2-14] a topic name
        }
        if (correlationData != null) {
            p.correlationData(correlationData.render(in).getBytes(StandardCharsets.UTF_8));
        }
        for (SqlTemplate[] u : userProperties) {
            p.userProperty(u[0].render(in), u[1].render(in));
        }
        long expiresAt = config.messageExpiryInterval() == null ? 0
                : clock.millis() + config.messageExpiryInterval() * 1000;
        return new Message(t, config.qos(), config.retain(), Payload.wrap(input.output()), p.build(), "", expiresAt);
    }

    @Override
    public void close() {
        // nothing of its own: the broker routes
    }
}
