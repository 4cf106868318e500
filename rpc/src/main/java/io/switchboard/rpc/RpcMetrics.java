package io.switchboard.rpc;

/**
 * Where a client reports each call and each request served: to Micrometer when the application has
 * it ({@link MicrometerMetrics}), else nowhere.
 */
interface RpcMetrics {
    RpcMetrics NONE = new RpcMetrics() {
        @Override
        public void call(String method, String outcome, long nanos) {
        }

        @Override
        public void served(String filter, String outcome, long nanos) {
        }
    };

    /** A call ended: {@code outcome} is ok, error, timeout, no-responder, cancelled or connection-lost. */
    void call(String method, String outcome, long nanos);

    /** A request was answered: ok, error, or expired (not answered: its deadline had passed). */
    void served(String filter, String outcome, long nanos);

    /** Micrometer's global registry when Micrometer is on the class path, else {@link #NONE}. */
    static RpcMetrics detect() {
        try {
            Class.forName("io.micrometer.core.instrument.Metrics", false, RpcMetrics.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
        return MicrometerMetrics.global();
    }

    /** The outcome name of a call's failure. */
    static String outcome(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e == null) {
            return "ok";
        }
        if (e instanceof RpcTimeoutException) {
            return "timeout";
        }
        if (e instanceof NoResponderException) {
            return "no-responder";
        }
        if (e instanceof ResponderException) {
            return "error";
        }
        if (e instanceof ConnectionLostException) {
            return "connection-lost";
        }
        if (e instanceof RpcCancelledException || e instanceof java.util.concurrent.CancellationException) {
            return "cancelled";
        }
        return "failed";
    }
}
