package io.switchboard.rpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** A successful reply: its payload, content type and user properties. */
public final class Reply {
    private final String topic;
    private final byte[] payload;
    private final String contentType;
    private final List<UserProperty> userProperties;

    Reply(String topic, byte[] payload, String contentType, List<UserProperty> userProperties) {
        this.topic = topic;
        this.payload = payload;
        this.contentType = contentType;
        this.userProperties = userProperties;
    }

    /** The topic the reply came on (the caller's reply topic). */
    public String topic() {
        return topic;
    }

    /** The payload (empty for an empty reply); a copy. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The payload read as JSON into {@code type}. */
    public <T> T json(Class<T> type) {
        return Json.read(payload, type);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * Whether this is an error reply ({@code rpc-status: error}). Only a gathering call
     * ({@link RpcClient#gather}) hands out error replies; a single call fails with
     * {@link ResponderException} instead.
     */
    public boolean isError() {
        return userProperty(RpcHeaders.STATUS).map(RpcHeaders.ERROR::equals).orElse(false);
    }

    /** The error code of an error reply. */
    public Optional<String> errorCode() {
        return isError() ? userProperty(RpcHeaders.CODE) : Optional.empty();
    }

    /** The error message of an error reply. */
    public Optional<String> errorMessage() {
        return isError() ? userProperty(RpcHeaders.MESSAGE) : Optional.empty();
    }

    /** The first user property called {@code name}. */
    public Optional<String> userProperty(String name) {
        return Wire.first(userProperties, name);
    }

    @Override
    public String toString() {
        return "Reply[" + payload.length + " bytes" + (contentType == null ? "" : ", " + contentType) + "]";
    }
}
