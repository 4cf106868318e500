package io.switchboard.conformance.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Fuzz connections, {@code concurrency} at a time: each worker thread opens a connection, writes
 * the steps of its {@link ConnectionPlan} and closes it (orderly or with a reset), then takes the
 * next plan, until the target number of broken packets has been written or the run is stopped.
 * A worker reads and discards whatever the broker sends, so the broker never waits on it, and
 * stops a connection as soon as the broker has closed it (end of stream or reset).
 *
 * <p>A packet counts towards the target once the broker is known to have read it (see
 * {@link Connection}); packets of pipelined plans are counted apart.
 */
final class Fuzzer {
    /**
     * How long the broker may neither read nor close before the connection counts as stalled (a
     * failure), or neither answer a PINGREQ nor close (see {@link Connection#await}). Generous:
     * these machines are slow and noisy.
     */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What a run did. */
    record Result(long brokenPackets, long validPackets, long pipelinedBroken, long pipelinedValid,
            long connections, long closedByBroker, long connectFailures, long unanswered,
            List<String> unansweredPlans, List<String> problems, Duration elapsed, boolean finished) {
    }

    private final InetSocketAddress broker;
    private final long maxPacketSize;
    private final long seed;
    private final long target;
    private final int concurrency;
    private final AtomicLong nextConnection = new AtomicLong();
    private final AtomicLong broken = new AtomicLong();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong pipelinedBroken = new AtomicLong();
    private final AtomicLong pipelinedValid = new AtomicLong();
    private final AtomicLong closedByBroker = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final ConcurrentLinkedQueue<String> unansweredPlans = new ConcurrentLinkedQueue<>();
    /** Local port to connection index, to find the plan of a connection the broker's log names. */
    private final Map<Integer, Long> connectionByPort = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;

    Fuzzer(InetSocketAddress broker, long maxPacketSize, long seed, long target, int concurrency) {
        this.broker = broker;
        this.maxPacketSize = maxPacketSize;
        this.seed = seed;
        this.target = target;
        this.concurrency = concurrency;
    }

    /** Runs until the target is reached, a worker fails, or {@code limit} has passed (then stops the workers). */
    Result run(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "fuzz-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            pool.execute(this::work);
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            stop = true;
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return new Result(broken.get(), valid.get(), pipelinedBroken.get(), pipelinedValid.get(), nextConnection.get(),
                closedByBroker.get(), connectFailures.get(), unanswered.get(), List.copyOf(unansweredPlans),
                List.copyOf(problems),
                Duration.ofNanos(System.nanoTime() - start), finished);
    }

    /** The index of the last fuzz connection that used this local port, or null. */
    Long connectionOnPort(int port) {
        return connectionByPort.get(port);
    }

    private void work() {
        try (Selector selector = Selector.open()) {
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (!stop && broken.get() < target) {
                run(ConnectionPlan.of(seed, nextConnection.getAndIncrement()), selector, in);
            }
        } catch (Throwable t) {
            problems.add(Thread.currentThread().getName() + " failed: " + t);
            stop = true;
        }
    }

    private void run(ConnectionPlan plan, Selector selector, ByteBuffer in) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(broker);
        } catch (IOException e) {
            // The fuzzer's own limits (ephemeral ports); the broker being unreachable shows up as a
            // target not reached and in the check that new clients are served afterwards.
            connectFailures.incrementAndGet();
            return;
        }
        connectionByPort.put(((InetSocketAddress) ch.getLocalAddress()).getPort(), plan.index());
        ch.configureBlocking(false);
        Connection c = new Connection(ch, ch.register(selector, SelectionKey.OP_READ), selector, in, plan);
        try {
            c.run();
        } finally {
            c.key.cancel();
            if (plan.reset()) {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            ch.close();
            selector.selectNow(); // deregisters the cancelled key
        }
    }

    /**
     * One fuzz connection. Unless its plan is pipelined, after each step that ends between two
     * packets it sends PINGREQ and waits for the PINGRESP or the end of the stream: either way the
     * broker has read the step, and the step is counted; a step that leaves a packet unfinished is
     * counted with the step that finishes it. Pipelined plans are counted apart.
     */
    private enum Outcome { ANSWERED, CLOSED, UNANSWERED }

    private final class Connection {
        private static final byte[] PINGREQ = {(byte) 0xC0, 0};

        final SelectionKey key;
        private final SocketChannel ch;
        private final Selector selector;
        private final ByteBuffer in;
        private final ConnectionPlan plan;
        private final FrameTracker sent = new FrameTracker(maxPacketSize);
        private final FrameTracker received = new FrameTracker(Long.MAX_VALUE);
        private int brokenUnconfirmed;
        private int validUnconfirmed;

        Connection(SocketChannel ch, SelectionKey key, Selector selector, ByteBuffer in, ConnectionPlan plan) {
            this.ch = ch;
            this.key = key;
            this.selector = selector;
            this.in = in;
            this.plan = plan;
        }

        void run() throws IOException {
            for (ConnectionPlan.Step step : plan.steps()) {
                if (!write(step.bytes())) {
                    closedByBroker.incrementAndGet(); // closed before this step: it is not counted
                    return;
                }
                if (plan.pipelined()) {
                    (step.fuzz() ? pipelinedBroken : pipelinedValid).incrementAndGet();
                    continue;
                }
                if (step.fuzz()) {
                    brokenUnconfirmed++;
                } else {
                    validUnconfirmed++;
                }
                sent.feed(step.bytes());
                if (sent.failed() || sent.atBoundary()) {
                    Outcome outcome = sent.failed() ? awaitClose() : ping();
                    confirm();
                    if (outcome != Outcome.ANSWERED) {
                        (outcome == Outcome.CLOSED ? closedByBroker : unanswered).incrementAndGet();
                        return;
                    }
                }
            }
            confirm(); // a packet left unfinished: the broker has its first bytes and waits for the rest
            drain();
        }

        private void confirm() {
            broken.addAndGet(brokenUnconfirmed);
            valid.addAndGet(validUnconfirmed);
            brokenUnconfirmed = 0;
            validUnconfirmed = 0;
        }

        /** Sends PINGREQ and waits until every PINGREQ sent is answered, or the broker closes. */
        private Outcome ping() throws IOException {
            if (!write(PINGREQ)) {
                return Outcome.CLOSED;
            }
            sent.feed(PINGREQ);
            return await(() -> received.pingresps() >= sent.pingreqs());
        }

        /** Waits for the broker to close, after a packet its frame decoder refuses. */
        private Outcome awaitClose() throws IOException {
            return await(() -> false);
        }

        /**
         * Waits until {@code answered} holds or the broker closes. A broker that does neither for
         * 30 s may be right: a client that set a Maximum Packet Size under 2 cannot be sent a
         * PINGRESP ([MQTT-3.1.2-24]); such connections are counted and reported, not failed.
         */
        private Outcome await(BooleanSupplier answered) throws IOException {
            long start = System.nanoTime();
            while (drain()) {
                if (answered.getAsBoolean()) {
                    return Outcome.ANSWERED;
                }
                if (System.nanoTime() - start > STALL_NANOS) {
                    if (unansweredPlans.size() < 5) {
                        unansweredPlans.add(plan.describe(seed));
                    }
                    return Outcome.UNANSWERED;
                }
                selector.select(100);
                selector.selectedKeys().clear();
            }
            return Outcome.CLOSED;
        }

        /** Writes all bytes, reading what the broker sends meanwhile; false once the broker has closed. */
        private boolean write(byte[] bytes) throws IOException {
            if (!drain()) {
                return false;
            }
            ByteBuffer out = ByteBuffer.wrap(bytes);
            long lastProgress = System.nanoTime();
            while (out.hasRemaining()) {
                try {
                    if (ch.write(out) > 0) {
                        lastProgress = System.nanoTime();
                    }
                } catch (IOException e) {
                    return false; // reset by the broker
                }
                if (!drain()) {
                    return false;
                }
                if (out.hasRemaining()) {
                    if (System.nanoTime() - lastProgress > STALL_NANOS) {
                        problems.add("for 30 s the broker neither read nor closed " + plan.describe(seed));
                        stop = true;
                        return false;
                    }
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    selector.select(100);
                    selector.selectedKeys().clear();
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            return true;
        }

        /** Reads what is there, following the broker's packets; false at end of stream or reset. */
        private boolean drain() {
            try {
                while (true) {
                    in.clear();
                    int n = ch.read(in);
                    if (n < 0) {
                        return false;
                    }
                    if (n == 0) {
                        return true;
                    }
                    in.flip();
                    received.feed(in);
                }
            } catch (IOException e) {
                return false;
            }
        }

    }
}
