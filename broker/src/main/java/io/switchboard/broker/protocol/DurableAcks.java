package io.switchboard.broker.protocol;

import io.switchboard.codec.packet.MqttPacket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Acknowledgements of one connection that wait for storage: each goes once what it acknowledges is
 * durable, and all go in the order their packets came ([MQTT-4.6.0-2], [MQTT-4.6.0-3]), whether
 * they waited or not. Created on the first wait; confined to the connection's event loop. The
 * stages given complete on that loop (the storage completes them there).
 */
final class DurableAcks {
    private final MqttConnection connection;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(4);
    /** A flush is scheduled after the running task. */
    private boolean flushScheduled;

    private record Pending(CompletableFuture<Void> durable, Consumer<Throwable> then) {
    }

    DurableAcks(MqttConnection connection) {
        this.connection = connection;
    }

    /** Sends an acknowledgement that waits for nothing, after those still waiting. */
    void send(MqttPacket ack) {
        if (pending.isEmpty()) {
            connection.send(ack);
        } else {
            pending.add(new Pending(CompletableFuture.completedFuture(null), error -> connection.send(ack)));
        }
    }

    /**
     * Runs {@code then} (with the failure, or null) once {@code durable} completes and every
     * acknowledgement before it went. {@code then} sends with {@link MqttConnection#send}.
     */
    void whenDurable(CompletionStage<Void> durable, Consumer<Throwable> then) {
        CompletableFuture<Void> f = durable.toCompletableFuture();
        if (pending.isEmpty() && f.isDone()) {
            then.accept(failure(f));
            return;
        }
        pending.add(new Pending(f, then));
        if (!f.isDone()) {
            f.whenComplete((v, e) -> drain());
        }
    }

    /** Number of acknowledgements waiting. */
    int waiting() {
        return pending.size();
    }

    private void drain() {
        Pending p;
        while ((p = pending.peek()) != null && p.durable().isDone()) {
            pending.poll();
            if (connection.state == MqttConnection.State.CONNECTED) {
                p.then().accept(failure(p.durable()));
            }
        }
        flushLater();
    }

    /**
     * Flushes once the task running now is done: the acknowledgements that one storage write
     * completes (one task per event loop) go out in one flush.
     */
    private void flushLater() {
        if (!flushScheduled) {
            flushScheduled = true;
            connection.eventLoop().execute(() -> {
                flushScheduled = false;
                connection.flush();
            });
        }
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }
}
