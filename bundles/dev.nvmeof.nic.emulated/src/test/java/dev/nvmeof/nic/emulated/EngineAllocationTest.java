package dev.nvmeof.nic.emulated;

import dev.nvmeof.protocol.DataDirection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * The offload engine's thread allocates nothing per I/O in steady state (HotSpot's per-thread allocation counter):
 * doorbell, capsule, in-capsule data and its digest, R2T -> H2CData, C2HData into the host buffer, completion ring,
 * notification. Writes of 4 KiB (in-capsule) and 16 KiB (R2T) and reads of 4 KiB with digests, the host reusing its
 * buffer per tag (as a steady-state caller does: a tag freed is taken again); the listener only counts.
 */
@Timeout(120)
class EngineAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int ROUNDS = 5_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldNotAllocateOnTheEngineThreadPerIo() throws Exception {
        try (EngineRig rig = new EngineRig(); RingClient admin = rig.admin(false)) {
            int cntlid = admin.connectAdmin(EngineRig.NQN);
            assertTrue(admin.run(s -> AdminCommands.setNumberOfQueues(s, 0, 1, 1), null, DataDirection.NONE).ok());
            try (RingClient io = RingClient.open(rig.nic, "p1p1", rig.address, 1, true)) {
                assertTrue(io.connect(EngineRig.NQN, cntlid).ok());
                io.lean(Thread.currentThread());
                ByteBuffer small = ByteBuffer.allocateDirect(4096);
                ByteBuffer large = ByteBuffer.allocateDirect(16384);
                ByteBuffer in = ByteBuffer.allocateDirect(4096);
                Consumer<SubmissionQueueEntryFlyweight> writeSmall = s -> NvmCommands.write(s, 0, 1, 0, 8, false);
                Consumer<SubmissionQueueEntryFlyweight> writeLarge = s -> NvmCommands.write(s, 0, 1, 64, 32, false);
                Consumer<SubmissionQueueEntryFlyweight> read = s -> NvmCommands.read(s, 0, 1, 0, 8, false);

                run(io, writeSmall, writeLarge, read, small, large, in, WARM_UP);
                long engine = engineThread("nic-E2E-1");
                long driver = Thread.currentThread().getId(); // fills slots and rings doorbells
                long before = threads.getThreadAllocatedBytes(engine);
                long driverBefore = threads.getThreadAllocatedBytes(driver);
                run(io, writeSmall, writeLarge, read, small, large, in, ROUNDS);
                long driverAllocated = threads.getThreadAllocatedBytes(driver) - driverBefore;
                long allocated = threads.getThreadAllocatedBytes(engine) - before;

                assertEquals(0, io.leanFailed.get(), "every I/O succeeded");
                // Zero in steady state; the bound leaves room for one stray JIT object, not for one per I/O.
                assertTrue(allocated < 4096, "the engine thread allocated " + allocated + " bytes in " + ROUNDS
                        + " I/Os");
                assertTrue(driverAllocated < 4096, "ringing doorbells allocated " + driverAllocated + " bytes in "
                        + ROUNDS + " I/Os");
            }
        }
    }

    private static void run(RingClient io, Consumer<SubmissionQueueEntryFlyweight> writeSmall,
            Consumer<SubmissionQueueEntryFlyweight> writeLarge, Consumer<SubmissionQueueEntryFlyweight> read,
            ByteBuffer small, ByteBuffer large, ByteBuffer in, int rounds) {
        for (int i = 0; i < rounds; i++) {
            int expected = io.leanCompleted.get() + 1;
            switch (i % 3) {
                case 0 -> io.submitLean(writeSmall, small.clear(), DataDirection.HOST_TO_CONTROLLER, 7);
                case 1 -> io.submitLean(writeLarge, large.clear(), DataDirection.HOST_TO_CONTROLLER, 8);
                default -> io.submitLean(read, in.clear(), DataDirection.CONTROLLER_TO_HOST, 9);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (io.leanCompleted.get() < expected) {
                if (deadline - System.nanoTime() < 0) {
                    throw new AssertionError("I/O " + i + " did not complete");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // woken by the listener's unpark
            }
        }
    }

    private static long engineThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name)).getId();
    }
}
