package io.switchboard.codec.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5.0 properties of one packet (or of a Will), typed: a field per property, null when
 * absent. Immutable; binary values are shared, never copied, and must not be modified. Which
 * properties a packet may carry is checked against {@link Property} when it is decoded or encoded.
 */
public final class Properties {
    public static final Properties EMPTY = builder().build();

    private final Integer payloadFormatIndicator;
    private final Long messageExpiryInterval;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<Integer> subscriptionIdentifiers;
    private final Long sessionExpiryInterval;
    private final String assignedClientIdentifier;
    private final Integer serverKeepAlive;
    private final String authenticationMethod;
    private final byte[] authenticationData;
    private final Integer requestProblemInformation;
    private final Long willDelayInterval;
    private final Integer requestResponseInformation;
    private final String responseInformation;
    private final String serverReference;
    private final String reasonString;
    private final Integer receiveMaximum;
    private final Integer topicAliasMaximum;
    private final Integer topicAlias;
    private final Integer maximumQos;
    private final Integer retainAvailable;
    private final List<UserProperty> userProperties;
    private final Long maximumPacketSize;
    private final Integer wildcardSubscriptionAvailable;
    private final Integer subscriptionIdentifierAvailable;
    private final Integer sharedSubscriptionAvailable;

    /** The shared empty instance when the builder holds nothing, so emptiness is usually an identity check. */
    private static Properties create(Builder b) {
        return EMPTY != null && b.isEmpty() ? EMPTY : new Properties(b);
    }

    private Properties(Builder b) {
        payloadFormatIndicator = b.payloadFormatIndicator;
        messageExpiryInterval = b.messageExpiryInterval;
        contentType = b.contentType;
        responseTopic = b.responseTopic;
        correlationData = b.correlationData;
        subscriptionIdentifiers = b.subscriptionIdentifiers.isEmpty() ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(b.subscriptionIdentifiers));
        sessionExpiryInterval = b.sessionExpiryInterval;
        assignedClientIdentifier = b.assignedClientIdentifier;
        serverKeepAlive = b.serverKeepAlive;
        authenticationMethod = b.authenticationMethod;
        authenticationData = b.authenticationData;
        requestProblemInformation = b.requestProblemInformation;
        willDelayInterval = b.willDelayInterval;
        requestResponseInformation = b.requestResponseInformation;
        responseInformation = b.responseInformation;
        serverReference = b.serverReference;
        reasonString = b.reasonString;
        receiveMaximum = b.receiveMaximum;
        topicAliasMaximum = b.topicAliasMaximum;
        topicAlias = b.topicAlias;
        maximumQos = b.maximumQos;
        retainAvailable = b.retainAvailable;
        userProperties = b.userProperties.isEmpty() ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(b.userProperties));
        maximumPacketSize = b.maximumPacketSize;
        wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
        subscriptionIdentifierAvailable = b.subscriptionIdentifierAvailable;
        sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these properties, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Property p : Property.values()) {
            Object v = get(p);
            if (v instanceof List<?> list) {
                for (Object item : list) {
                    b.add(p, item);
                }
            } else if (v != null) {
                b.add(p, v);
            }
        }
        return b;
    }

    public boolean isEmpty() {
        return this == EMPTY || equals(EMPTY);
    }

    /**
     * The value of a property: Integer, Long, String, byte[], or for a repeatable property a List;
     * null when absent. Used by the codec, which walks the table.
     */
    public Object get(Property p) {
        return switch (p) {
            case PAYLOAD_FORMAT_INDICATOR -> payloadFormatIndicator;
            case MESSAGE_EXPIRY_INTERVAL -> messageExpiryInterval;
            case CONTENT_TYPE -> contentType;
            case RESPONSE_TOPIC -> responseTopic;
            case CORRELATION_DATA -> correlationData;
            case SUBSCRIPTION_IDENTIFIER -> subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers;
            case SESSION_EXPIRY_INTERVAL -> sessionExpiryInterval;
            case ASSIGNED_CLIENT_IDENTIFIER -> assignedClientIdentifier;
            case SERVER_KEEP_ALIVE -> serverKeepAlive;
            case AUTHENTICATION_METHOD -> authenticationMethod;
            case AUTHENTICATION_DATA -> authenticationData;
            case REQUEST_PROBLEM_INFORMATION -> requestProblemInformation;
            case WILL_DELAY_INTERVAL -> willDelayInterval;
            case REQUEST_RESPONSE_INFORMATION -> requestResponseInformation;
            case RESPONSE_INFORMATION -> responseInformation;
            case SERVER_REFERENCE -> serverReference;
            case REASON_STRING -> reasonString;
            case RECEIVE_MAXIMUM -> receiveMaximum;
            case TOPIC_ALIAS_MAXIMUM -> topicAliasMaximum;
            case TOPIC_ALIAS -> topicAlias;
            case MAXIMUM_QOS -> maximumQos;
            case RETAIN_AVAILABLE -> retainAvailable;
            case USER_PROPERTY -> userProperties.isEmpty() ? null : userProperties;
            case MAXIMUM_PACKET_SIZE -> maximumPacketSize;
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> wildcardSubscriptionAvailable;
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> subscriptionIdentifierAvailable;
            case SHARED_SUBSCRIPTION_AVAILABLE -> sharedSubscriptionAvailable;
        };
    }

    // Typed accessors; null means "not present" (the receiver applies the specification's default).

    /** 0 unspecified bytes, 1 UTF-8 ([MQTT-3.3.2-4]). */
    public Integer payloadFormatIndicator() { return payloadFormatIndicator; }
    public Long messageExpiryInterval() { return messageExpiryInterval; }
    public String contentType() { return contentType; }
    public String responseTopic() { return responseTopic; }
    public byte[] correlationData() { return correlationData; }
    public List<Integer> subscriptionIdentifiers() { return subscriptionIdentifiers; }
    public Long sessionExpiryInterval() { return sessionExpiryInterval; }
    public String assignedClientIdentifier() { return assignedClientIdentifier; }
    public Integer serverKeepAlive() { return serverKeepAlive; }
    public String authenticationMethod() { return authenticationMethod; }
    public byte[] authenticationData() { return authenticationData; }
    public Integer requestProblemInformation() { return requestProblemInformation; }
    public Long willDelayInterval() { return willDelayInterval; }
    public Integer requestResponseInformation() { return requestResponseInformation; }
    public String responseInformation() { return responseInformation; }
    public String serverReference() { return serverReference; }
    public String reasonString() { return reasonString; }
    public Integer receiveMaximum() { return receiveMaximum; }
    public Integer topicAliasMaximum() { return topicAliasMaximum; }
    public Integer topicAlias() { return topicAlias; }
    public Integer maximumQos() { return maximumQos; }
    public Integer retainAvailable() { return retainAvailable; }
    public List<UserProperty> userProperties() { return userProperties; }
    public Long maximumPacketSize() { return maximumPacketSize; }
    public Integer wildcardSubscriptionAvailable() { return wildcardSubscriptionAvailable; }
    public Integer subscriptionIdentifierAvailable() { return subscriptionIdentifierAvailable; }
    public Integer sharedSubscriptionAvailable() { return sharedSubscriptionAvailable; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Properties other)) {
            return false;
        }
        for (Property p : Property.values()) {
            Object a = get(p);
            Object b = other.get(p);
            if (a instanceof byte[] x && b instanceof byte[] y) {
                if (!Arrays.equals(x, y)) {
                    return false;
                }
            } else if (!Objects.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Property p : Property.values()) {
            Object v = get(p);
            h = 31 * h + (v instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(v));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Properties{");
        String sep = "";
        for (Property p : Property.values()) {
            Object v = get(p);
            if (v != null) {
                sb.append(sep).append(p.displayName()).append('=')
                        .append(v instanceof byte[] bytes ? bytes.length + " bytes" : v);
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }

    /** Builds {@link Properties}; not thread-safe. */
    public static final class Builder {
        private Integer payloadFormatIndicator;
        private Long messageExpiryInterval;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<Integer> subscriptionIdentifiers = new ArrayList<>(0);
        private Long sessionExpiryInterval;
        private String assignedClientIdentifier;
        private Integer serverKeepAlive;
        private String authenticationMethod;
        private byte[] authenticationData;
        private Integer requestProblemInformation;
        private Long willDelayInterval;
        private Integer requestResponseInformation;
        private String responseInformation;
        private String serverReference;
        private String reasonString;
        private Integer receiveMaximum;
        private Integer topicAliasMaximum;
        private Integer topicAlias;
        private Integer maximumQos;
        private Integer retainAvailable;
        private final List<UserProperty> userProperties = new ArrayList<>(0);
        private Long maximumPacketSize;
        private Integer wildcardSubscriptionAvailable;
        private Integer subscriptionIdentifierAvailable;
        private Integer sharedSubscriptionAvailable;

        private Builder() {
        }

        /** Sets (or for repeatable properties, appends) a value of the type {@link #get} returns. */
        public Builder add(Property p, Object v) {
            switch (p) {
                case PAYLOAD_FORMAT_INDICATOR -> payloadFormatIndicator = (Integer) v;
                case MESSAGE_EXPIRY_INTERVAL -> messageExpiryInterval = (Long) v;
                case CONTENT_TYPE -> contentType = (String) v;
                case RESPONSE_TOPIC -> responseTopic = (String) v;
                case CORRELATION_DATA -> correlationData = (byte[]) v;
                case SUBSCRIPTION_IDENTIFIER -> subscriptionIdentifiers.add((Integer) v);
                case SESSION_EXPIRY_INTERVAL -> sessionExpiryInterval = (Long) v;
                case ASSIGNED_CLIENT_IDENTIFIER -> assignedClientIdentifier = (String) v;
                case SERVER_KEEP_ALIVE -> serverKeepAlive = (Integer) v;
                case AUTHENTICATION_METHOD -> authenticationMethod = (String) v;
                case AUTHENTICATION_DATA -> authenticationData = (byte[]) v;
                case REQUEST_PROBLEM_INFORMATION -> requestProblemInformation = (Integer) v;
                case WILL_DELAY_INTERVAL -> willDelayInterval = (Long) v;
                case REQUEST_RESPONSE_INFORMATION -> requestResponseInformation = (Integer) v;
                case RESPONSE_INFORMATION -> responseInformation = (String) v;
                case SERVER_REFERENCE -> serverReference = (String) v;
                case REASON_STRING -> reasonString = (String) v;
                case RECEIVE_MAXIMUM -> receiveMaximum = (Integer) v;
                case TOPIC_ALIAS_MAXIMUM -> topicAliasMaximum = (Integer) v;
                case TOPIC_ALIAS -> topicAlias = (Integer) v;
                case MAXIMUM_QOS -> maximumQos = (Integer) v;
                case RETAIN_AVAILABLE -> retainAvailable = (Integer) v;
                case USER_PROPERTY -> userProperties.add((UserProperty) v);
                case MAXIMUM_PACKET_SIZE -> maximumPacketSize = (Long) v;
                case WILDCARD_SUBSCRIPTION_AVAILABLE -> wildcardSubscriptionAvailable = (Integer) v;
                case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> subscriptionIdentifierAvailable = (Integer) v;
                case SHARED_SUBSCRIPTION_AVAILABLE -> sharedSubscriptionAvailable = (Integer) v;
            }
            return this;
        }

        public Builder payloadFormatIndicator(Integer v) { payloadFormatIndicator = v; return this; }
        public Builder messageExpiryInterval(Long v) { messageExpiryInterval = v; return this; }
        public Builder contentType(String v) { contentType = v; return this; }
        public Builder responseTopic(String v) { responseTopic = v; return this; }
        public Builder correlationData(byte[] v) { correlationData = v; return this; }
        public Builder subscriptionIdentifier(int v) { subscriptionIdentifiers.add(v); return this; }
        public Builder subscriptionIdentifiers(List<Integer> v) {
            subscriptionIdentifiers.clear();
            subscriptionIdentifiers.addAll(v);
            return this;
        }
        public Builder sessionExpiryInterval(Long v) { sessionExpiryInterval = v; return this; }
        public Builder assignedClientIdentifier(String v) { assignedClientIdentifier = v; return this; }
        public Builder serverKeepAlive(Integer v) { serverKeepAlive = v; return this; }
        public Builder authenticationMethod(String v) { authenticationMethod = v; return this; }
        public Builder authenticationData(byte[] v) { authenticationData = v; return this; }
        public Builder requestProblemInformation(Integer v) { requestProblemInformation = v; return this; }
        public Builder willDelayInterval(Long v) { willDelayInterval = v; return this; }
        public Builder requestResponseInformation(Integer v) { requestResponseInformation = v; return this; }
        public Builder responseInformation(String v) { responseInformation = v; return this; }
        public Builder serverReference(String v) { serverReference = v; return this; }
        public Builder reasonString(String v) { reasonString = v; return this; }
        public Builder receiveMaximum(Integer v) { receiveMaximum = v; return this; }
        public Builder topicAliasMaximum(Integer v) { topicAliasMaximum = v; return this; }
        public Builder topicAlias(Integer v) { topicAlias = v; return this; }
        public Builder maximumQos(Integer v) { maximumQos = v; return this; }
        public Builder retainAvailable(Integer v) { retainAvailable = v; return this; }
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }
        public Builder userProperties(List<UserProperty> v) {
            userProperties.clear();
            userProperties.addAll(v);
            return this;
        }
        public Builder maximumPacketSize(Long v) { maximumPacketSize = v; return this; }
        public Builder wildcardSubscriptionAvailable(Integer v) { wildcardSubscriptionAvailable = v; return this; }
        public Builder subscriptionIdentifierAvailable(Integer v) { subscriptionIdentifierAvailable = v; return this; }
        public Builder sharedSubscriptionAvailable(Integer v) { sharedSubscriptionAvailable = v; return this; }

        public Properties build() {
            return create(this);
        }

        boolean isEmpty() {
            return payloadFormatIndicator == null && messageExpiryInterval == null && contentType == null
                    && responseTopic == null && correlationData == null && subscriptionIdentifiers.isEmpty()
                    && sessionExpiryInterval == null && assignedClientIdentifier == null && serverKeepAlive == null
                    && authenticationMethod == null && authenticationData == null
                    && requestProblemInformation == null && willDelayInterval == null
                    && requestResponseInformation == null && responseInformation == null && serverReference == null
                    && reasonString == null && receiveMaximum == null && topicAliasMaximum == null
                    && topicAlias == null && maximumQos == null && retainAvailable == null
                    && userProperties.isEmpty() && maximumPacketSize == null
                    && wildcardSubscriptionAvailable == null && subscriptionIdentifierAvailable == null
                    && sharedSubscriptionAvailable == null;
        }
    }
}
