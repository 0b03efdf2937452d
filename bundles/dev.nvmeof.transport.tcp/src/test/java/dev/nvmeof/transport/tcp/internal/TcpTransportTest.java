package dev.nvmeof.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.TransportRequest;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/** The transport against the embedded target over loopback sockets, through the SPI only. */
class TcpTransportTest {
    private NvmeTarget target;
    private InetSocketAddress address;
    private TcpTransport transport;

    @BeforeEach
    void start() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults());
        target.addSubsystem(SubsystemConfig.of(SpiHost.NQN, NamespaceConfig.ram(SpiHost.NSID, 16 << 20,
                SpiHost.BLOCK)));
        address = target.listen(new InetSocketAddress("127.0.0.1", 0));
        transport = new TcpTransport(2, NanoClock.SYSTEM);
    }

    @AfterEach
    void stop() {
        transport.close();
        target.close();
    }

    static ByteBuffer pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(bytes).flip();
        return buffer;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "hdr_digest={0} data_digest={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void shouldWriteInCapsuleAndThroughR2tAndReadBackIdentical(boolean headerDigest, boolean dataDigest)
            throws Exception {
        try (SpiHost host = SpiHost.connect(transport, address, headerDigest, dataDigest, 32)) {
            assertTrue(host.association.describe().startsWith("tcp 127.0.0.1:" + address.getPort() + " from 127.0.0.1:"),
                    host.association.describe());
            TransportRequest request = new TransportRequest();
            long slba = 0;
            for (int length : new int[] {512, 4096, 8192, 8704, 64 * 1024, 128 * 1024}) {
                ByteBuffer data = pattern(length, length);
                SpiHost.check(SpiHost.execute(host.io, SpiHost.write(request, 5, slba, data), host.ioEvents), "write");
                assertEquals(0, data.position(), "the transport leaves the caller's buffer as it was");
                ByteBuffer back = ByteBuffer.allocateDirect(length);
                SpiHost.check(SpiHost.execute(host.io, SpiHost.read(request, 6, slba, back), host.ioEvents), "read");
                assertArrayEquals(bytes(data), bytes(back), length + " bytes at LBA " + slba);
                slba += length / SpiHost.BLOCK;
            }
            assertEquals(0, host.ioEvents.failures.get());
            assertEquals(0, host.adminEvents.failures.get());
        }
    }

    @Test
    void shouldReadIntoTheBuffersPositionWhenItIsNotZero() throws Exception {
        try (SpiHost host = SpiHost.connect(transport, address, false, true, 32)) {
            TransportRequest request = new TransportRequest();
            ByteBuffer data = pattern(16 * 1024, 7);
            SpiHost.check(SpiHost.execute(host.io, SpiHost.write(request, 1, 100, data), host.ioEvents), "write");
            ByteBuffer big = ByteBuffer.allocate(20 * 1024);
            big.position(1000).limit(1000 + 16 * 1024);
            SpiHost.check(SpiHost.execute(host.io, SpiHost.read(request, 2, 100, big), host.ioEvents), "read");
            assertEquals(1000, big.position());
            assertArrayEquals(bytes(data), bytes(big));
        }
    }

    @Test
    void shouldPutTwoControllersIoQueuesOnDifferentLoopsAndGiveAClosedQueuesPlaceBack() throws Exception {
        // Each controller's admin queue, then its I/O queue: turns alone put both I/O queues on one loop.
        try (SpiHost first = SpiHost.connect(transport, address, false, false, 32);
                SpiHost second = SpiHost.connect(transport, address, false, false, 32)) {
            EventLoop firstLoop = ((TcpQueue) first.io).loop();
            assertNotSame(firstLoop, ((TcpQueue) second.io).loop(), "the two I/O queues share a loop");

            first.close();
            EventLoop next = transport.loopFor(1);
            transport.release(next, 1);
            assertSame(firstLoop, next, "the loop the closed I/O queue left is the least loaded");
        }
    }

    @Test
    void shouldDeclareTheOptionsLinuxTcpAllows() throws Exception {
        assertEquals("tcp", transport.name());
        ConnectOptions ok = ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,nqn=testnqn,hdr_digest,"
                + "data_digest,host_traddr=127.0.0.1,tos=0,nr_poll_queues=1,ctrl_loss_tmo=5,reconnect_delay=1");
        transport.optionPolicy().check(ok);
        InvalidOptionException missing = assertThrows(InvalidOptionException.class, () -> transport.optionPolicy()
                .check(ConnectOptions.parse("transport=tcp,nqn=testnqn")));
        assertTrue(missing.getMessage().contains("traddr"), missing.getMessage());
    }
}
