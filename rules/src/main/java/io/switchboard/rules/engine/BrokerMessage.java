package io.switchboard.rules.engine;

import io.switchboard.broker.message.Message;
import io.switchboard.codec.property.Properties;
import io.switchboard.rules.sql.MessageContext;
import io.switchboard.rules.sql.UserProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker's message as the rules' SQL reads it: a view, nothing copied but the user properties,
 * and those only when a rule asks for them.
 */
final class BrokerMessage implements MessageContext {
    private final Message message;
    private final String clientId;
    private final String principal;
    private final long timestampMillis;
    private List<UserProperty> userProperties;

    BrokerMessage(Message message, String clientId, String principal, long timestampMillis) {
        this.message = message;
        this.clientId = clientId;
        this.principal = principal;
        this.timestampMillis = timestampMillis;
    }

    Message message() {
        return message;
    }

    @Override
    public String topic() {
        return message.topic();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public String principal() {
        return principal;
    }

    @Override
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public byte[] payload() {
        return message.payload().unsafeBytes();
    }

    @Override
    public List<UserProperty> userProperties() {
        List<UserProperty> u = userProperties;
        if (u == null) {
            List<io.switchboard.codec.property.UserProperty> from = message.properties().userProperties();
            u = new ArrayList<>(from.size());
            for (io.switchboard.codec.property.UserProperty p : from) {
                u.add(new UserProperty(p.name(), p.value()));
            }
            userProperties = u;
        }
        return u;
    }

    @Override
    public String contentType() {
        return message.properties().contentType();
    }

    @Override
    public int payloadFormatIndicator() {
        Integer f = message.properties().payloadFormatIndicator();
        return f == null ? 0 : f;
    }

    @Override
    public String responseTopic() {
        return message.properties().responseTopic();
    }

    @Override
    public byte[] correlationData() {
        Properties p = message.properties();
        return p.correlationData();
    }
}
