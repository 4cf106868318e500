package io.switchboard.rpc;

/**
 * The outcome of one call of a batch: its reply, or the {@link RpcException} it failed with; one
 * call failing does not fail the others.
 */
public record CallResult(Call call, Reply reply, RpcException error) {
    public boolean isSuccess() {
        return error == null;
    }
}
