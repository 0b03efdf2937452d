package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A task handed to an owner thread: waited for while the owner runs, never beyond the owner's end. */
@Timeout(30)
class HandOffTest {
    @Test
    void shouldReturnTrueOnceTheOwnerRanTheTask() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            AtomicBoolean ran = new AtomicBoolean();
            assertTrue(HandOff.runAndWait(null, owner, () -> ran.set(true), new CompletableFuture<>(), 10_000));
            assertTrue(ran.get());
        } finally {
            owner.shutdownNow();
        }
    }

    @Test
    void shouldLetGoWhenTheOwnerStopsWithTheTaskNeverRun() throws Exception {
        List<Runnable> lost = new ArrayList<>(); // an owner past its last turn: what it is handed stays put
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return HandOff.runAndWait(null, lost::add, () -> { }, stopped, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        stopped.complete(null);
        assertFalse(waited.get(10, TimeUnit.SECONDS), "let go at the owner's end, long before the 60 s bound");
    }

    @Test
    void shouldReturnFalseWhenTheTimeRunsOut() throws Exception {
        assertFalse(HandOff.runAndWait(null, task -> { }, () -> { }, new CompletableFuture<>(), 50));
    }

    @Test
    void shouldRunTheTaskAtOnceWhenCalledOnTheOwnerThread() throws Exception {
        List<Runnable> neverRun = new ArrayList<>(); // handed over, it would wait for its caller: the full bound
        AtomicBoolean ran = new AtomicBoolean();
        assertTrue(HandOff.runAndWait(Thread.currentThread(), neverRun::add, () -> ran.set(true),
                new CompletableFuture<>(), 60_000));
        assertTrue(ran.get());
        assertTrue(neverRun.isEmpty(), "run in place, not handed over");
    }
}
