package dev.nvmeof.testkit.driver;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import dev.nvmeof.api.BlockDevice;

/**
 * A bounded data-integrity workload over a {@link BlockDevice}: {@code writers} threads write self-describing blocks
 * ({@link VerifiedBlock}: run id, LBA, generation, writer, checksum), each keeping up to {@code depth} writes in
 * flight on chunks only it writes, so every chunk's content is determined by its own history; a record of every
 * generation issued and acknowledged per chunk; and a verifier that reads the region back and reports the first
 * mismatch precisely (LBA, what was expected, what was found). Bounded in writes and in time; a write not done within
 * {@code ioTimeout} is reported as hung, never waited for forever. Usable while the path under it changes (a driver
 * withdrawn, a bundle swapped): start it, provoke, then check the {@link Result} and {@link #verify}.
 *
 * <p>A chunk whose last write was acknowledged must read back as exactly that generation. A chunk whose later writes
 * failed may hold the acknowledged generation or one of the failed ones (whole and intact), never anything else.
 */
public final class VerifiedWorkload {

    /**
     * @param firstLba       where the region starts
     * @param chunks         chunks in the region; at least {@code writers * depth}
     * @param blocksPerChunk blocks per write
     * @param writers        writer threads
     * @param depth          writes each writer keeps in flight
     * @param maxWrites      writes in all, at most
     * @param maxDuration    the writers stop issuing after this
     * @param ioTimeout      a write not done within this is hung
     */
    public record Settings(long firstLba, int chunks, int blocksPerChunk, int writers, int depth, long maxWrites,
            Duration maxDuration, Duration ioTimeout) {
        public Settings {
            if (firstLba < 0 || blocksPerChunk < 1 || writers < 1 || depth < 1 || chunks < writers * depth
                    || maxWrites < 1 || maxDuration.isNegative() || ioTimeout.isNegative() || ioTimeout.isZero()) {
                throw new IllegalArgumentException("settings out of range (chunks must be >= writers * depth): "
                        + firstLba + "/" + chunks + "/" + blocksPerChunk + "/" + writers + "/" + depth + "/"
                        + maxWrites + "/" + maxDuration + "/" + ioTimeout);
            }
        }

        /** 4 writers, 4 deep, 512 chunks of 8 blocks from LBA 0, 2,000 writes, 30 s, 30 s per write. */
        public static Settings defaults() {
            return new Settings(0, 512, 8, 4, 4, 2_000, Duration.ofSeconds(30), Duration.ofSeconds(30));
        }

        public Settings withRegion(long first, int chunkCount, int blocks) {
            return new Settings(first, chunkCount, blocks, writers, depth, maxWrites, maxDuration, ioTimeout);
        }

        public Settings withWriters(int threads, int inFlight) {
            return new Settings(firstLba, chunks, blocksPerChunk, threads, inFlight, maxWrites, maxDuration,
                    ioTimeout);
        }

        public Settings withBounds(long writes, Duration duration, Duration perWrite) {
            return new Settings(firstLba, chunks, blocksPerChunk, writers, depth, writes, duration, perWrite);
        }
    }

    /**
     * What the writers saw.
     *
     * @param hung         writes not done within the I/O timeout, each described
     * @param firstFailure the first write that failed, described with its error
     */
    public record Result(long issued, long acknowledged, long failed, List<String> hung,
            Optional<String> firstFailure) {
        /** Every write issued completed, acknowledged or failed, none hung. */
        public boolean allDone() {
            return hung.isEmpty() && acknowledged + failed == issued;
        }
    }

    /**
     * What the read-back showed.
     *
     * @param chunksChecked chunks written at least once and read back
     * @param mismatches    chunks that did not hold what their record allows
     * @param firstMismatch the lowest LBA that did not, and why
     */
    public record Verification(long chunksChecked, long mismatches, Optional<String> firstMismatch) {
    }

    private final BlockDevice device;
    private final Settings settings;
    private final int blockSize;
    private final int chunkBytes;
    private final long run = ThreadLocalRandom.current().nextLong();
    private final AtomicLongArray issued;
    private final AtomicLongArray acknowledged;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final ConcurrentLinkedQueue<String> hung = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;
    private CompletableFuture<Result> result;

    private record Waiter(long count, CompletableFuture<Void> reached) {
    }

    private VerifiedWorkload(BlockDevice device, Settings settings) {
        this.device = device;
        this.settings = settings;
        this.blockSize = device.blockSize();
        this.chunkBytes = settings.blocksPerChunk() * blockSize;
        long end = settings.firstLba() + (long) settings.chunks() * settings.blocksPerChunk();
        if (end * blockSize > device.sizeBytes()) {
            throw new IllegalArgumentException("the region ends at LBA " + end + ", beyond " + device.name() + " ("
                    + device.sizeBytes() / blockSize + " blocks)");
        }
        if (blockSize < VerifiedBlock.PAYLOAD_OFFSET + VerifiedBlock.CRC_LENGTH) {
            throw new IllegalArgumentException("blocks of " + blockSize + " bytes are too small");
        }
        this.issued = new AtomicLongArray(settings.chunks());
        this.acknowledged = new AtomicLongArray(settings.chunks());
    }

    public static VerifiedWorkload on(BlockDevice device, Settings settings) {
        return new VerifiedWorkload(device, settings);
    }

    /** Starts the writer threads; the result completes when all stopped (bounds reached, {@link #stop}, or hung). */
    public synchronized CompletableFuture<Result> start() {
        if (result != null) {
            throw new IllegalStateException("started already");
        }
        long deadline = System.nanoTime() + settings.maxDuration().toNanos();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < settings.writers(); w++) {
            CompletableFuture<Void> writerDone = new CompletableFuture<>();
            int writer = w;
            Thread thread = new Thread(() -> {
                try {
                    write(writer, deadline);
                    writerDone.complete(null);
                } catch (Throwable t) {
                    writerDone.completeExceptionally(t);
                }
            }, "verified-writer-" + w);
            thread.setDaemon(true);
            thread.start();
            done.add(writerDone);
        }
        result = CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).thenApply(v -> result());
        return result;
    }

    /** The writers issue nothing more; the result completes once what is in flight is done (or hung). */
    public void stop() {
        stopped = true;
    }

    /** Writes acknowledged so far. */
    public long acknowledged() {
        return acked.get();
    }

    /** Completes once {@code count} writes were acknowledged: to provoke something mid-run without sleeping. */
    public CompletableFuture<Void> whenAcknowledged(long count) {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        waiters.add(new Waiter(count, reached));
        signal();
        return reached;
    }

    private void signal() {
        long now = acked.get();
        for (Waiter waiter : waiters) {
            if (waiter.count() <= now && waiters.remove(waiter)) {
                waiter.reached().complete(null);
            }
        }
    }

    private Result result() {
        return new Result(writes.get(), acked.get(), failed.get(), List.copyOf(hung),
                Optional.ofNullable(firstFailure.get()));
    }

    /**
     * One writer: its k-th write goes to its chunk {@code k mod (chunks / writers)}, up to its share of the writes; a
     * slot is reused once done.
     */
    private void write(int writer, long deadline) throws InterruptedException {
        int perWriter = settings.chunks() / settings.writers();
        // Each writer its share of maxWrites, so a fast device does not let the first thread do them all.
        long budget = settings.maxWrites() / settings.writers() + (writer < settings.maxWrites() % settings.writers()
                ? 1 : 0);
        int depth = settings.depth();
        ByteBuffer[] buffers = new ByteBuffer[depth];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] inFlight = new CompletableFuture[depth];
        String[] what = new String[depth];
        for (int k = 0;; k++) {
            int slot = k % depth;
            if (inFlight[slot] != null && !awaitDone(inFlight[slot], what[slot])) {
                return; // hung: its buffer is still the host's, stop here
            }
            if (stopped || k >= budget || deadline - System.nanoTime() < 0) {
                break;
            }
            writes.incrementAndGet();
            int chunk = writer + settings.writers() * (k % perWriter);
            long generation = issued.get(chunk) + 1;
            issued.set(chunk, generation);
            long lba = lba(chunk);
            if (buffers[slot] == null) {
                buffers[slot] = ByteBuffer.allocateDirect(chunkBytes);
            }
            ByteBuffer data = buffers[slot];
            for (int b = 0; b < settings.blocksPerChunk(); b++) {
                VerifiedBlock.write(data, b * blockSize, blockSize, run, lba + b, generation, writer);
            }
            what[slot] = "write of LBA " + lba + " (" + settings.blocksPerChunk() + " blocks, writer " + writer
                    + ", generation " + generation + ")";
            String description = what[slot];
            inFlight[slot] = device.write(lba, data.duplicate().clear(), false).whenComplete((v, error) -> {
                if (error == null) {
                    acknowledged.accumulateAndGet(chunk, generation, Math::max);
                    acked.incrementAndGet();
                    signal();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, description + " failed: " + error);
                }
            });
        }
        for (int slot = 0; slot < depth; slot++) {
            if (inFlight[slot] != null && !awaitDone(inFlight[slot], what[slot])) {
                return;
            }
        }
    }

    /** Waits for a write; false (and recorded) when it did not finish within the I/O timeout. */
    private boolean awaitDone(CompletableFuture<Void> write, String description) throws InterruptedException {
        try {
            write.get(settings.ioTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failedAlready) {
            // counted by its own completion
        } catch (TimeoutException e) {
            hung.add(description + " not done within " + settings.ioTimeout().toMillis() + " ms");
            return false;
        }
        return true;
    }

    private long lba(int chunk) {
        return settings.firstLba() + (long) chunk * settings.blocksPerChunk();
    }

    /**
     * Reads back every chunk written at least once (after the writers stopped) and checks it against the record.
     * Reads not done within {@code timeout} each count as a mismatch.
     */
    public Verification verify(Duration timeout) throws InterruptedException {
        long checked = 0;
        long mismatches = 0;
        String first = null;
        ByteBuffer back = ByteBuffer.allocateDirect(chunkBytes);
        for (int chunk = 0; chunk < settings.chunks(); chunk++) {
            long top = issued.get(chunk);
            if (top == 0) {
                continue;
            }
            checked++;
            long lba = lba(chunk);
            String problem;
            try {
                device.read(lba, back.clear()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                problem = check(back, chunk, lba, acknowledged.get(chunk), top);
            } catch (ExecutionException e) {
                problem = "reading LBA " + lba + " failed: " + e.getCause();
            } catch (TimeoutException e) {
                problem = "reading LBA " + lba + " did not complete within " + timeout.toMillis() + " ms";
            }
            if (problem != null) {
                mismatches++;
                if (first == null) {
                    first = problem;
                }
            }
        }
        return new Verification(checked, mismatches, Optional.ofNullable(first));
    }

    /** Null when the chunk holds what its record allows, else the first block that does not, and why. */
    private String check(ByteBuffer back, int chunk, long lba, long ackedGeneration, long issuedGeneration) {
        for (int b = 0; b < settings.blocksPerChunk(); b++) {
            long at = lba + b;
            int offset = b * blockSize;
            VerifiedBlock.Found found = VerifiedBlock.read(back, offset, blockSize);
            String expected = ackedGeneration == issuedGeneration ? "generation " + ackedGeneration
                    + " (acknowledged)" : "generation " + Math.max(1, ackedGeneration) + ".." + issuedGeneration
                    + " (" + (ackedGeneration == 0 ? "none" : ackedGeneration) + " acknowledged, later writes failed)";
            String where = "LBA " + at + " (block " + b + " of the " + settings.blocksPerChunk()
                    + "-block write at LBA " + lba + "): expected " + expected + ", found ";
            if (!found.ours() || found.run() != run) {
                if (ackedGeneration == 0) {
                    return null; // never acknowledged: what was there before may still be
                }
                return where + (found.ours() ? "a block of another run" : "no block of this workload (a lost write)");
            }
            if (!found.intact()) {
                return where + "a damaged block of generation " + found.generation() + ", first bad byte at offset "
                        + VerifiedBlock.firstDifference(back, offset, blockSize, run, at, found.generation(),
                                found.writer()) + " (torn or corrupted data)";
            }
            if (found.lba() != at) {
                return where + "the block of LBA " + found.lba() + " (a misdirected write)";
            }
            long lowest = ackedGeneration == issuedGeneration ? ackedGeneration : Math.max(1, ackedGeneration);
            if (found.generation() < lowest || found.generation() > issuedGeneration) {
                return where + "generation " + found.generation()
                        + (found.generation() < lowest ? " (a lost or reordered write)" : " (never written)");
            }
        }
        return null;
    }
}
