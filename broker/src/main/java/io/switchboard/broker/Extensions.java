package io.switchboard.broker;

import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.protocol.PublishTap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What other modules bring to a broker (the rules engine, the HTTP listener), in the order they started. */
final class Extensions {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final List<BrokerExtension> started = new ArrayList<>();

    /**
     * Starts the extensions the class path brings and the configuration asks for, in their order;
     * a section whose module is missing stops the start, saying which module it needs.
     *
     * @param tap where the rules engine, once started, taps the published messages
     */
    void startAll(Broker broker, PublishTap.Holder tap) {
        BrokerConfig config = broker.config();
        List<BrokerExtension.Provider> providers = new ArrayList<>();
        ServiceLoader.load(BrokerExtension.Provider.class).forEach(providers::add);
        providers.sort(Comparator.comparingInt(BrokerExtension.Provider::order));
        for (BrokerExtension.Provider p : providers) {
            BrokerExtension e = p.start(broker);
            if (e != null) {
                synchronized (started) {
                    started.add(e);
                }
            }
        }
        if (config.http().enabled() && find(HttpListener.class).isEmpty()) {
            throw new ConfigException("the http section needs the switchboard-admin module on the class path"
                    + " (the switchboard command line has it)");
        }
        if (config.rules().enabled() && tap.get() == PublishTap.NONE) {
            throw new ConfigException("the rules section needs the switchboard-rules module on the class path"
                    + " (the switchboard command line has it)");
        }
    }

    /** A started extension of this type, if any. */
    <T> Optional<T> find(Class<T> type) {
        synchronized (started) {
            return started.stream().filter(type::isInstance).map(type::cast).findFirst();
        }
    }

    /** Closes them in reverse order; one failing does not keep the others open. */
    void closeAll() {
        List<BrokerExtension> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("Stopping {} failed", all.get(i).getClass().getSimpleName(), e);
            }
        }
    }
}
