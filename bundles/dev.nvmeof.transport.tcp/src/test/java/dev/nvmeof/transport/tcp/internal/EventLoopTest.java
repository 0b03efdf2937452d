package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.NanoClock;

/**
 * A task that throws (an exception or an {@code Error}) is logged; the loop runs the next task and serves on. A
 * caller waiting for a task the stopping loop will never run is let go when the loop ends, not after its timeout.
 */
class EventLoopTest {

    @Test
    void shouldRunTheNextTaskWhenATaskThrows() throws Exception {
        EventLoop loop = new EventLoop("test-loop", NanoClock.SYSTEM);
        loop.start();
        try {
            CountDownLatch after = new CountDownLatch(2);
            loop.execute(() -> {
                throw new IllegalStateException("a failing task");
            });
            loop.execute(after::countDown);
            loop.execute(() -> {
                throw new AssertionError("an Error from a task");
            });
            loop.execute(after::countDown);
            assertTrue(after.await(10, TimeUnit.SECONDS), "the tasks after the throwing ones ran");
            assertTrue(loop.thread().isAlive(), "the loop lives");
        } finally {
            loop.shutdown(5000);
        }
    }

    @Test
    void shouldLetGoOfAWaiterWhoseTaskCameAfterTheLoopsLastTurn() throws Exception {
        EventLoop loop = new EventLoop("test-loop", NanoClock.SYSTEM);
        loop.start();
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        try (Pipe.SourceChannel source = Pipe.open().source()) {
            source.configureBlocking(false);
            CountDownLatch registered = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    source.register(loop.selector(), 0, new EventLoop.Handler() {
                        @Override
                        public void onReady(SelectionKey key) {
                        }

                        @Override
                        public long deadline() {
                            return Long.MAX_VALUE;
                        }

                        @Override
                        public void onLoopClosed() {
                            // The loop's last act: past its last tasks, another thread hands it one and waits (a
                            // queue closing after its connect failed, as the transport closed under it).
                            new Thread(() -> {
                                try {
                                    ran.complete(loop.runAndWait(() -> { }, 60_000));
                                } catch (InterruptedException e) {
                                    ran.completeExceptionally(e);
                                }
                            }).start();
                        }

                        @Override
                        public void onDeadline() {
                        }
                    });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                registered.countDown();
            });
            assertTrue(registered.await(10, TimeUnit.SECONDS), "registered");
            loop.shutdown(5000);
            assertFalse(ran.get(10, TimeUnit.SECONDS), "not run, and the waiter let go long before its 60 s");
        }
    }
}
