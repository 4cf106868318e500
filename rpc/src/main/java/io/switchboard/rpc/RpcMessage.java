package io.switchboard.rpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** What a request and a reply share: topic, payload, content type and user properties. */
public abstract sealed class RpcMessage permits Request, Reply {
    private final String topic;
    private final byte[] payload;
    private final String contentType;
    private final List<UserProperty> userProperties;

    RpcMessage(String topic, byte[] payload, String contentType, List<UserProperty> userProperties) {
        this.topic = topic;
        this.payload = payload;
        this.contentType = contentType;
        this.userProperties = userProperties;
    }

    /** The topic it came on. */
    public String topic() {
        return topic;
    }

    /** The payload (empty when there was none); a copy. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The payload read as JSON into {@code type} (Jackson). */
    public <T> T json(Class<T> type) {
        return Json.read(payload, type);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /** The first user property called {@code name}. */
    public Optional<String> userProperty(String name) {
        return Wire.first(userProperties, name);
    }

    int payloadLength() {
        return payload.length;
    }
}
