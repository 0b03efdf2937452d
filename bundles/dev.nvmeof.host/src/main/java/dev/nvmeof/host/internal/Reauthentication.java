package dev.nvmeof.host.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;

/**
 * DH-HMAC-CHAP again on a LIVE queue ({@link HostController#reauthenticate()}): one transaction on the queue's
 * reserved Connect tag, which is free once the queue is connected, so I/O keeps its tags meanwhile. The command
 * timeout is the queue's own (the work loop enforces it); the wait here is only a backstop against a loop that died.
 */
final class Reauthentication {
    private final ConnectOptions options;
    private final HostSettings settings;
    private int nextTransactionId = 0x8000; // apart from the connect-time IDs, for the target's logs

    Reauthentication(ConnectOptions options, HostSettings settings) {
        this.options = options;
        this.settings = settings;
    }

    /** One transaction on {@code queue} (callers serialize on this object). */
    void run(HostQueue queue) throws NvmeException {
        QueueAuthentication.authenticate(options, queue.qid(), nextTransactionId++ & 0xFFFF,
                command -> await(queue, command));
    }

    private void await(HostQueue queue, AdminCommand command) throws NvmeException {
        if (!queue.submitReserved(ConnectSequence.CONNECT_TAG_INDEX, command)) {
            throw NvmeTransportException.connectionLost(command.step() + ": queue " + queue.qid() + " closed", null);
        }
        long backstopNanos = 2 * settings.adminTimeout().toNanos();
        long waited = 0;
        long tick = TimeUnit.MILLISECONDS.toNanos(10);
        for (;;) {
            if (queue.polled()) {
                queue.poll(); // a poll queue's completions arrive only when polled
            }
            try {
                command.result().get(queue.polled() ? tick : backstopNanos, TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException | InterruptedException e) {
                throw command.failure(e);
            } catch (TimeoutException e) {
                waited += queue.polled() ? tick : backstopNanos;
                if (waited >= backstopNanos) {
                    throw NvmeTimeoutException.of(command.step(), settings.adminTimeout(), "queue " + queue.qid());
                }
            }
        }
    }
}
