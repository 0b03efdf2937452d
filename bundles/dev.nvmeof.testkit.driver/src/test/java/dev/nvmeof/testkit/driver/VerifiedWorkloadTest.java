package dev.nvmeof.testkit.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.IoRequest;

/** The workload's record and verifier over an in-memory device that can lose, misdirect or corrupt a write. */
class VerifiedWorkloadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final VerifiedWorkload.Settings SMALL = VerifiedWorkload.Settings.defaults()
            .withRegion(0, 64, 4).withWriters(4, 2).withBounds(400, WAIT, WAIT);

    private static VerifiedWorkload.Verification runAndVerify(RamDevice device) throws Exception {
        VerifiedWorkload workload = VerifiedWorkload.on(device, SMALL);
        VerifiedWorkload.Result result = workload.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(result.allDone(), result.toString());
        assertEquals(400, result.issued());
        return workload.verify(WAIT);
    }

    @Test
    void shouldFindEveryAcknowledgedWriteOnAGoodDevice() throws Exception {
        VerifiedWorkload.Verification verification = runAndVerify(new RamDevice());

        assertEquals(64, verification.chunksChecked());
        assertEquals(Optional.empty(), verification.firstMismatch());
    }

    @Test
    void shouldNameTheLbaAndGenerationsOfALostWrite() throws Exception {
        RamDevice device = new RamDevice();
        device.dropAt = 240; // chunk 60: writer 0's 16th chunk, written 6 times in its 100 writes
        device.dropAfter = 5; // the last of them is acknowledged and lost

        String mismatch = runAndVerify(device).firstMismatch().orElseThrow();

        assertEquals("LBA 240 (block 0 of the 4-block write at LBA 240): expected generation 6 (acknowledged),"
                + " found generation 5 (a lost or reordered write)", mismatch);
    }

    @Test
    void shouldNameAMisdirectedWrite() throws Exception {
        RamDevice device = new RamDevice();
        device.writeTo = lba -> lba == 100 ? 104 : lba; // chunk 25's writes land on chunk 26

        String mismatch = runAndVerify(device).firstMismatch().orElseThrow();

        assertTrue(mismatch.startsWith("LBA 100 ") || mismatch.startsWith("LBA 104 "), mismatch);
        assertTrue(mismatch.contains("the block of LBA 100 (a misdirected write)")
                || mismatch.contains("a lost write") || mismatch.contains("lost or reordered"), mismatch);
    }

    @Test
    void shouldNameACorruptedByte() throws Exception {
        RamDevice device = new RamDevice();
        VerifiedWorkload workload = VerifiedWorkload.on(device, SMALL);
        workload.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        device.blocks.put(9 * 512 + 100, (byte) (device.blocks.get(9 * 512 + 100) ^ 1));

        String mismatch = workload.verify(WAIT).firstMismatch().orElseThrow();

        assertTrue(mismatch.startsWith("LBA 9 (block 1 of the 4-block write at LBA 8)"), mismatch);
        assertTrue(mismatch.contains("first bad byte at offset 100 (torn or corrupted data)"), mismatch);
    }

    @Test
    void shouldAcceptEitherGenerationWhereTheLastWriteFailed() throws Exception {
        RamDevice device = new RamDevice();
        device.failAt = 4 * 7; // chunk 7's first write fails; later ones are acknowledged

        VerifiedWorkload workload = VerifiedWorkload.on(device, SMALL);
        VerifiedWorkload.Result result = workload.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(1, result.failed());
        assertTrue(result.firstFailure().orElseThrow().startsWith("write of LBA 28 (4 blocks, writer 3, generation"
                + " 1) failed"), result.firstFailure().orElseThrow());
        assertEquals(Optional.empty(), workload.verify(WAIT).firstMismatch());
    }
}
