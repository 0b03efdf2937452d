package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.spi.transport.TransportLimits;

/** Block I/O through a controller on the fake transport: round trips, splitting, validation, backlog, allocation. */
class HostBlockDeviceTest {
    private final HostFixture f = new HostFixture();

    @BeforeEach
    void connect() throws Exception {
        f.transport.limits = new TransportLimits(8, 8192, 1, false);
        f.connect(HostFixture.build(f.options().nrIoQueues(1).queueSize(16)));
    }

    private static ByteBuffer pattern(int length, int seed) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            buffer.put(i, (byte) (i * 31 + seed));
        }
        return buffer;
    }

    @Test
    void shouldReadBackWhatWasWritten() throws Exception {
        HostBlockDevice device = f.device();
        ByteBuffer written = pattern(4096, 7);
        device.write(10, written, false).get(5, TimeUnit.SECONDS);
        ByteBuffer read = ByteBuffer.allocate(4096);
        device.read(10, read).get(5, TimeUnit.SECONDS);
        assertEquals(written, read);
        assertEquals(0, read.position(), "the caller's buffer position is left alone");
        assertEquals(written, f.target.ram().slice(10 * 512, 4096));
    }

    @Test
    void shouldSplitTransfersLargerThanTheMaximumAndCompleteTheCallerOnce() throws Exception {
        HostBlockDevice device = f.device();
        assertEquals(8192, device.maxTransferSize());
        ByteBuffer written = pattern(40 * 512, 3);
        HostFixture.Counted write = new HostFixture.Counted();
        device.submit(write.request.write(100, written, false));
        assertEquals(1, write.completions.get());
        assertTrue(write.request.succeeded());
        assertEquals(3, f.transport.ioCommands(), "40 blocks in pieces of 16: 16 + 16 + 8");

        ByteBuffer read = ByteBuffer.allocate(40 * 512);
        device.read(100, read).get(5, TimeUnit.SECONDS);
        assertEquals(written, read);
        assertEquals(6, f.transport.ioCommands());
    }

    @Test
    void shouldSplitByMdtsWhenItIsSmallerThanTheTransportLimit() throws Exception {
        HostFixture g = new HostFixture();
        g.target.mdts = 1; // 4 KiB << 1
        g.connect();
        assertEquals(8192, g.device().maxTransferSize());
    }

    @Test
    void shouldCompleteAtOnceWithoutTheWireWhenTheRequestIsOutsideTheNamespace() {
        HostBlockDevice device = f.device();
        int before = f.transport.ioCommands();
        HostFixture.Counted r = new HostFixture.Counted();

        device.submit(r.request.read(2047, ByteBuffer.allocate(1024)));
        assertEquals(GenericStatus.LBA_OUT_OF_RANGE.code(), r.request.failure().status().sc());
        device.submit(r.request.write(-1, ByteBuffer.allocate(512), false));
        assertEquals(GenericStatus.LBA_OUT_OF_RANGE.code(), r.request.failure().status().sc());
        device.submit(r.request.write(0, ByteBuffer.allocate(100), false));
        assertEquals(GenericStatus.INVALID_FIELD.code(), r.request.failure().status().sc());
        device.submit(r.request.discard(0, 0));
        assertEquals(GenericStatus.INVALID_FIELD.code(), r.request.failure().status().sc());
        device.submit(r.request.writeZeroes(2000, 49, false));
        assertEquals(GenericStatus.LBA_OUT_OF_RANGE.code(), r.request.failure().status().sc());

        assertEquals(5, r.completions.get());
        assertEquals(before, f.transport.ioCommands());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> device.read(4096, ByteBuffer.allocate(512)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(NvmeStatusException.class, e.getCause());
    }

    @Test
    void shouldZeroDiscardAndFlush() throws Exception {
        HostBlockDevice device = f.device();
        device.write(0, pattern(2048, 1), false).get(5, TimeUnit.SECONDS);
        device.writeZeroes(0, 2, false).get(5, TimeUnit.SECONDS);
        device.discard(2, 2).get(5, TimeUnit.SECONDS);
        device.flush().get(5, TimeUnit.SECONDS);
        assertEquals(ByteBuffer.allocate(2048), f.target.ram().slice(0, 2048));
    }

    @Test
    void shouldRetryAnErrorWithoutDnrFiveTimesAsLinuxDoesBeforeTheCallerSeesIt() throws Exception {
        HostBlockDevice device = f.device();
        int dataTransferError = NvmeStatus.DATA_TRANSFER_ERROR.toStatusWord(false);
        f.transport.failIoStatus = dataTransferError;
        for (int failures : new int[] {1, 5}) {
            f.transport.failIo.set(failures);
            device.write(0, pattern(512, failures), false).get(5, TimeUnit.SECONDS);
            assertEquals(0, f.transport.failIo.get(), failures + " failures retried");
        }
        f.transport.failIo.set(6);
        HostFixture.Counted six = new HostFixture.Counted();
        device.submit(six.request.write(0, pattern(512, 6), false));
        assertEquals(1, six.completions.get());
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, six.request.failure().status(), "the sixth is the caller's");

        f.transport.failIoStatus = NvmeStatus.generic(GenericStatus.INVALID_FIELD, true).toStatusWord(false);
        f.transport.failIo.set(2);
        HostFixture.Counted dnr = new HostFixture.Counted();
        device.submit(dnr.request.write(0, pattern(512, 7), false));
        assertEquals(1, f.transport.failIo.get(), "DNR: not retried");
        assertTrue(dnr.request.failure().status().dnr());
    }

    @Test
    void shouldBacklogRequestsBeyondTheTagsAndStartThemAsTagsFree() {
        f.transport.autoComplete = false;
        HostBlockDevice device = f.device();
        List<HostFixture.Counted> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            HostFixture.Counted r = new HostFixture.Counted();
            requests.add(r);
            device.submit(r.request.write(i, pattern(512, i), false));
        }
        assertEquals(15, f.transport.ioCommands(), "16 tags, one reserved for Connect");
        for (int round = 0; round < 3; round++) {
            f.transport.completePending();
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(1, requests.get(i).completions.get(), "request " + i);
            assertNull(requests.get(i).request.failure());
        }
        byte[] expected = new byte[512];
        pattern(512, 39).get(expected);
        byte[] actual = new byte[512];
        f.target.ram().get(39 * 512, actual);
        assertArrayEquals(expected, actual);
    }

    @Test
    void shouldSendABatchTogetherWhenItIsInAndCompleteEachRequestOnItsOwn() {
        HostBlockDevice device = f.device();
        List<HostFixture.Counted> counted = new ArrayList<>();
        IoRequest[] batch = new IoRequest[6];
        for (int i = 0; i < batch.length; i++) {
            HostFixture.Counted c = new HostFixture.Counted();
            counted.add(c);
            batch[i] = i % 2 == 0 ? c.request.write(i * 8L, pattern(4096, i), false)
                    : c.request.read((i - 1) * 8L, ByteBuffer.allocate(4096));
        }
        device.submit(batch, 0, batch.length);

        assertEquals(List.of("6 at commit"), f.transport.queue(1).batches, "one send for the six");
        for (int i = 0; i < batch.length; i++) {
            assertEquals(1, counted.get(i).completions.get(), "request " + i);
            assertTrue(batch[i].succeeded(), "request " + i);
        }
        assertEquals(pattern(4096, 2), batch[3].buffer(), "a read of the batch saw the batch's earlier write");
    }

    @Test
    void shouldSendWhatReachedTheQueueWhenARequestOfTheBatchFailsValidation() {
        HostBlockDevice device = f.device();
        HostFixture.Counted good = new HostFixture.Counted();
        HostFixture.Counted outside = new HostFixture.Counted();
        IoRequest[] batch = {good.request.write(0, pattern(512, 5), false),
            outside.request.read(4096, ByteBuffer.allocate(512))};
        device.submit(batch, 0, 2);

        assertEquals(List.of("1 at commit"), f.transport.queue(1).batches);
        assertTrue(good.request.succeeded());
        assertEquals(GenericStatus.LBA_OUT_OF_RANGE.code(), outside.request.failure().status().sc());
        assertThrows(IndexOutOfBoundsException.class, () -> device.submit(batch, 1, 2));
        assertEquals(1, good.completions.get(), "a range outside the array submits nothing");
    }

    @Test
    void shouldNotAllocateOnTheSubmitPathOfAReusedRequest() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HostBlockDevice device = f.device();
        ByteBuffer data = ByteBuffer.allocateDirect(4096);
        int[] done = new int[1];
        IoRequest request = new IoRequest().callback(r -> done[0]++);
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm-up: let the JIT settle
            device.submit(i % 2 == 0 ? request.write(i % 1000, data, false) : request.read(i % 1000, data));
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < rounds; i++) {
            device.submit(i % 2 == 0 ? request.write(i % 1000, data, false) : request.read(i % 1000, data));
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(2 * rounds, done[0]);
        assertTrue(request.succeeded());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + rounds + " requests");
    }
}
