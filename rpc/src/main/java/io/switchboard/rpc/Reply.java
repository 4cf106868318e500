package io.switchboard.rpc;

import java.util.List;
import java.util.Optional;

/** A reply: its payload, content type and user properties (an error reply only from {@link RpcClient#gather}). */
public final class Reply extends RpcMessage {
    Reply(String topic, byte[] payload, String contentType, List<UserProperty> userProperties) {
        super(topic, payload, contentType, userProperties);
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

    @Override
    public String toString() {
        return "Reply[" + payloadLength() + " bytes" + contentType().map(t -> ", " + t).orElse("") + "]";
    }
}
