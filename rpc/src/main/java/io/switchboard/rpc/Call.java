package io.switchboard.rpc;

/** One request of a batch ({@link RpcClient#callAll}). */
public record Call(String topic, byte[] payload, CallOptions options) {
    public Call {
        Wire.checkTopicName(topic);
        payload = payload == null ? new byte[0] : payload;
        options = options == null ? CallOptions.defaults() : options;
    }

    public static Call of(String topic, byte[] payload) {
        return new Call(topic, payload, CallOptions.defaults());
    }
}
