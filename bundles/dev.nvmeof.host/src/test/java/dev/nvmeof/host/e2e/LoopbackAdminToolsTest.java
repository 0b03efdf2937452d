package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.AdminPassthru;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.ErrorLogEntry;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.SmartLog;

/** What {@code nvme id-ns}, {@code get-log}, {@code smart-log}, {@code error-log} and {@code admin-passthru} ask. */
class LoopbackAdminToolsTest {
    private static final long SIZE = 4 << 20;
    private Loopback loopback;
    private NvmeController controller;

    @BeforeEach
    void connect() throws Exception {
        loopback = Loopback.ram(SIZE);
        controller = loopback.host.connect(loopback.options(""));
    }

    @AfterEach
    void stop() {
        loopback.close();
    }

    @Test
    void shouldIdentifyTheNamespaceWhenAskedByNsid() throws Exception {
        IdentifyNamespace ns = controller.identifyNamespace(1);

        assertEquals(SIZE / Loopback.BLOCK, ns.nsze());
        assertEquals(Loopback.BLOCK, ns.blockSize());
    }

    @Test
    void shouldReturnZeroesWhenTheNsidIsNotActive() throws Exception {
        // NVMe Base 2.0, 5.17.2.1: an inactive NSID gets a zero-filled structure, not an error.
        assertEquals(0, controller.identifyNamespace(7).nsze());
    }

    @Test
    void shouldCountHostCommandsInTheSmartLogWhenIoWasDone() throws Exception {
        ByteBuffer block = ByteBuffer.allocateDirect(Loopback.BLOCK);
        controller.namespaces().get(0).device().write(0, block, false).get(10, TimeUnit.SECONDS);
        block.clear();
        controller.namespaces().get(0).device().read(0, block).get(10, TimeUnit.SECONDS);

        SmartLog smart = controller.smartLog(0xFFFF_FFFF);

        assertEquals(BigInteger.ONE, smart.hostWriteCommands());
        assertEquals(BigInteger.ONE, smart.hostReadCommands());
        assertEquals(100, smart.availableSpare());
    }

    @Test
    void shouldReadEmptyErrorLogAndChangedListWhenNothingHappened() throws Exception {
        List<ErrorLogEntry> errors = controller.errorLog(4);

        assertEquals(4, errors.size());
        assertEquals(0, errors.get(0).errorCount());
        assertArrayEquals(new int[0], controller.changedNamespaces());
    }

    @Test
    void shouldReadALogPageInPiecesFromAnOffset() throws Exception {
        byte[] whole = controller.logPage(0x02, 0xFFFF_FFFF, 512, 0);
        byte[] tail = controller.logPage(0x02, 0xFFFF_FFFF, 256, 256);

        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 256, 512), tail);
        assertThrows(IllegalArgumentException.class, () -> controller.logPage(0x02, 0, 510, 0));
    }

    @Test
    void shouldPassAnIdentifyControllerThroughAndReturnTheData() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int dw0 = controller.adminPassthru(new AdminPassthru(0x06, 0, new int[] {1, 0, 0, 0, 0, 0}, data,
                DataDirection.CONTROLLER_TO_HOST));

        assertEquals(0, dw0);
        assertEquals(Loopback.NQN, new IdentifyControllerFlyweight().wrap(data, 0).toRecord().subnqn());
    }

    @Test
    void shouldFailWithInvalidOpcodeWhenPassingAnUnknownCommand() {
        NvmeStatusException refused = assertThrows(NvmeStatusException.class,
                () -> controller.adminPassthru(AdminPassthru.of(0xC1, 0)));

        assertEquals(GenericStatus.INVALID_OPCODE.code(), refused.status().sc());
    }

    @Test
    void shouldRefuseTheHostsOwnOpcodesBeforeSendingThem() {
        assertThrows(IllegalArgumentException.class, () -> AdminPassthru.of(0x7F, 0));
        assertThrows(IllegalArgumentException.class, () -> AdminPassthru.of(0x0C, 0));
    }
}
