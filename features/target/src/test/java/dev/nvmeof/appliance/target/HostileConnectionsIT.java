package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.testkit.ApplianceProcess;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * The packaged target under a 64 MiB direct-memory limit with a 16 MiB namespace: 1,000 connections that finish
 * ICReq and then sit idle cost it so little that a fresh host from another address (127.0.0.2) still connects and
 * does verified I/O, and nothing ran out of memory. (Before the target took its buffers lazily, about 330 such
 * connections killed both event loops with OutOfMemoryError.)
 */
@Timeout(120)
class HostileConnectionsIT {
    private static final int IDLE = 1000;
    private final List<NvmeTcpTestClient> idle = new ArrayList<>();
    private ApplianceProcess app;
    @TempDir
    Path dir; // the target's folder (log/)

    @AfterEach
    void stop() throws Exception {
        for (NvmeTcpTestClient c : idle) {
            c.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldServeAFreshHostAfterAThousandIdleHandshakenConnectionsUnderA64MibDirectMemoryLimit() throws Exception {
        int port = ApplianceProcess.freePort();
        app = ApplianceProcess.start(dir, List.of("-XX:MaxDirectMemorySize=64m"),
                TargetApplianceIT.JAR.toAbsolutePath(),
                "--listen", "127.0.0.1:" + port, "--ram-namespace", "16M", "--event-loops", "2");
        app.awaitReady();
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int i = 0; i < IDLE; i++) {
            idle.add(NvmeTcpTestClient.open(target)); // ICReq/ICResp done, then nothing
        }

        InetAddress fresh = InetAddress.getByName("127.0.0.2");
        NvmeTcpTestClient admin = NvmeTcpTestClient.openFrom(fresh, target);
        int cntlid = admin.connectAndEnable("testnqn", 0);
        assertTrue(admin.command(sqe -> AdminCommands.setNumberOfQueues(sqe, 0, 1, 1), null, null).ok());
        NvmeTcpTestClient io = NvmeTcpTestClient.openFrom(fresh, target);
        assertTrue(io.connect("testnqn", 1, cntlid, 127, 0).ok());
        byte[] data = new byte[128 * 1024];
        new Random(42).nextBytes(data);
        assertTrue(io.command(sqe -> NvmCommands.write(sqe, 0, 1, 64, data.length / 512, false),
                ByteBuffer.wrap(data), null).ok());
        ByteBuffer back = ByteBuffer.allocate(data.length);
        assertTrue(io.command(sqe -> NvmCommands.read(sqe, 0, 1, 64, data.length / 512, false), null, back).ok());
        assertArrayEquals(data, back.array());
        io.close();
        admin.close();

        assertTrue(app.process.isAlive(), "the target still runs");
        assertTrue(app.stderr.stream().noneMatch(line -> line.contains("OutOfMemoryError")), "stderr: " + app.stderr);
    }
}
