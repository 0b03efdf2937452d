package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.target.TargetOptions;

/**
 * Large transfers over tcp: the target's MDTS (1 MiB by default, or smaller when configured) caps the host's command
 * size, 1 MiB and 4 MiB reads and writes are split by the host where they exceed it, and every byte reads back, with
 * and without digests. Inside the target they move in PDUs and R2Ts of at most 128 KiB.
 */
@Timeout(120)
class LoopbackLargeIoTest {
    private static final long SIZE = 16 << 20;

    @ParameterizedTest(name = "target maxTransferSize {0}, options \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "1048576|''",
        "1048576|,hdr_digest,data_digest",
        "131072|''",
        "131072|,hdr_digest,data_digest",
    })
    void shouldReadBackOneAndFourMebibyteWritesSplitByTheSmallerOfMdtsAndTheTransport(int targetMax, String options)
            throws Exception {
        try (Loopback loopback = Loopback.ram(SIZE, TargetOptions.defaults().withMaxTransferSize(targetMax))) {
            NvmeController controller = loopback.host.connect(loopback.options(",nr_io_queues=2" + options));
            BlockDevice device = controller.namespaces().get(0).device();
            assertEquals(Math.min(targetMax, 1 << 20), device.maxTransferSize(),
                    "min(MDTS, the tcp transport's 1 MiB)");
            Random random = new Random(targetMax + options.length());
            long lba = 0;
            for (int size : new int[] {1 << 20, 4 << 20, (1 << 20) + 4096}) {
                byte[] data = new byte[size];
                random.nextBytes(data);
                device.write(lba, ByteBuffer.wrap(data), false).get(30, TimeUnit.SECONDS);
                ByteBuffer back = ByteBuffer.allocate(size);
                device.read(lba, back).get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, back.array(), size + " bytes at LBA " + lba);
                lba += size / Loopback.BLOCK;
            }
        }
    }
}
