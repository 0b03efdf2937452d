package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.NanoClock;

/** A task that throws (an exception or an {@code Error}) is logged; the loop runs the next task and serves on. */
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
}
