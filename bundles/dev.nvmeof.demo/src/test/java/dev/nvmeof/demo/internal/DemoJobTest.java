package dev.nvmeof.demo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's job over the software transport against our target, as the appliance runs it. */
class DemoJobTest {
    @TempDir
    Path state;
    NvmeTarget target;
    int port;
    TcpTransportRuntime tcp;
    EmbeddedNvmeHost host;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1));
        target.addSubsystem(SubsystemConfig.of("testnqn", NamespaceConfig.ram(1, 16 << 20, 512)));
        port = target.listen(new InetSocketAddress("127.0.0.1", 0)).getPort();
        tcp = new TcpTransportRuntime(1);
        host = EmbeddedNvmeHost.start(state, tcp);
    }

    @AfterEach
    void stop() {
        host.close();
        tcp.close();
        target.close();
    }

    @Test
    void shouldConnectListCheckDataAndDisconnect() {
        int status = job().run(DemoOptions.parse("--perf", "0", "-t", "tcp", "-s", String.valueOf(port),
                "--size", "1M"));
        String out = printed();
        assertEquals(DemoJob.OK, status, out);
        assertTrue(out.contains("nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n testnqn"), out);
        assertTrue(out.contains("connected nvme0 to testnqn with "), out);
        assertTrue(out.contains("path: tcp 127.0.0.1:" + port), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("Node ") && l.contains("FW Rev")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("nvme0n1 +\\S+ +.+ +1 +16\\.78 MB / 16\\.78 MB +512 .*")), out);
        assertTrue(out.contains("data check: wrote 1 MiB at LBA 0 of nvme0n1 and read it back: OK"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("cpu: host \\d+\\.\\d ms, NIC engine 0\\.0 ms, target \\d+\\.\\d ms,"
                + " JVM \\d+\\.\\d ms")), out);
        assertTrue(out.contains("disconnected nvme0"), out);
        assertTrue(host.controllers().isEmpty());
    }

    @Test
    void shouldRestoreTheBlocksItOverwroteOnATargetThatIsNotItsOwn() throws Exception {
        byte[] before = new byte[256 << 10];
        new Random(42).nextBytes(before);
        // another host's data on the shared namespace
        EmbeddedNvmeHost neighbour = EmbeddedNvmeHost.start(state.resolve("neighbour"), tcp);
        NvmeController other = neighbour.connect(ConnectOptions.parse("transport=tcp,traddr=127.0.0.1,trsvcid=" + port
                + ",nqn=testnqn"));
        BlockDevice device = other.namespaces().get(0).device();
        device.write(0, ByteBuffer.wrap(before), false).get(10, TimeUnit.SECONDS);

        int status = job().run(DemoOptions.parse("--perf", "0", "-t", "tcp", "-a", "127.0.0.1", "-s",
                String.valueOf(port),
                "--size", "256K"));
        assertEquals(DemoJob.OK, status, printed());
        assertTrue(printed().contains("restored the 256 KiB the check overwrote"), printed());
        ByteBuffer after = ByteBuffer.allocate(before.length);
        device.read(0, after).get(10, TimeUnit.SECONDS);
        assertArrayEquals(before, after.array(), "the foreign target's data is as it was");
        other.disconnect();
        neighbour.close();
    }

    @Test
    void shouldExitNonZeroNamingWhyWhenTheTargetIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        int status = job().run(DemoOptions.parse("--perf", "0", "-t", "tcp", "-a", "127.0.0.1", "-s",
                String.valueOf(closedPort)));
        assertEquals(DemoJob.FAILED, status);
        assertTrue(printed().contains("error: connect failed: "), printed());
        assertTrue(printed().contains(String.valueOf(closedPort)), printed());
    }

    private DemoJob job() {
        return new DemoJob(host, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
