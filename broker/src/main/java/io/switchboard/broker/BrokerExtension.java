package io.switchboard.broker;

/**
 * A part of the broker that another module brings (the HTTP listener of {@code admin}, the rules
 * engine of {@code rules}), found through {@link Provider} ({@code ServiceLoader}) and started once
 * the broker's own parts run, in {@link Provider#order()}; closed before them, in reverse order.
 * {@link Broker#extension(Class)} finds a started one by type.
 */
public interface BrokerExtension extends AutoCloseable {

    /** Stops it. */
    @Override
    void close();

    /** Starts an extension for a running broker, when its configuration asks for one. */
    interface Provider {
        /** Lower starts first (the rules before the HTTP listener, whose API shows them). */
        default int order() {
            return 100;
        }

        /**
         * The extension for {@code broker}, or null when its configuration does not ask for it. Fails
         * with a {@link io.switchboard.broker.config.ConfigException} naming what is wrong.
         */
        BrokerExtension start(Broker broker);
    }
}
