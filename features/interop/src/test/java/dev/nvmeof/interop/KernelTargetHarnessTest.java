package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.protocol.tcp.IcReqPdu;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduType;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kernel-target mode: the guest's {@code nvmet-tcp} listens on 4420, set up over configfs through the control
 * channel; the test reaches it on 127.0.0.1 through QEMU's host forward, and nvme-cli inside the guest reaches it
 * too. One guest for the class.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class KernelTargetHarnessTest {
    static final String NQN = "testnqn";
    private static final Duration SHORT = Duration.ofSeconds(30);

    private static QemuGuest guest;

    @BeforeAll
    static void bootGuestWithKernelTarget() {
        guest = QemuGuest.builder().name("kernel-target").kernelTarget().start();
        guest.execOk(KernelTarget.setUp(NQN, "/dev/ram0"), SHORT);
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void shouldAnswerIcReqWithIcRespWhenTheHostConnectsThroughTheForwardedPort() throws Exception {
        ByteBuffer icReq = ByteBuffer.allocate(IcReqPdu.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new PduEncoder().icReq(icReq, 0, false, false, 0);
        byte[] golden = new byte[IcReqPdu.LENGTH];
        System.arraycopy(new byte[] {0x00, 0x00, (byte) 0x80, 0x00, (byte) 0x80, 0x00, 0x00, 0x00}, 0, golden, 0, 8);
        assertArrayEquals(golden, icReq.array(), "our ICReq is the kernel host's");

        byte[] icResp = new byte[IcRespPdu.LENGTH];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), guest.hostPort()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(icReq.array());
            out.flush();
            new DataInputStream(socket.getInputStream()).readFully(icResp);
        }

        IcRespPdu pdu = new IcRespPdu().wrap(ByteBuffer.wrap(icResp).order(ByteOrder.LITTLE_ENDIAN), 0);
        assertEquals(PduType.IC_RESP.code(), pdu.typeCode(), "ICResp type");
        // The common header of a well-formed ICResp (what a host's PDU decoder requires before it takes one).
        assertEquals(0, pdu.flags(), "FLAGS");
        assertEquals(IcRespPdu.LENGTH, pdu.hlen(), "HLEN");
        assertEquals(0, pdu.pdo(), "PDO");
        assertEquals(IcRespPdu.LENGTH, pdu.plen(), "PLEN");
        assertEquals(0, pdu.pfv(), "PFV");
        assertEquals(0, pdu.cpda(), "CPDA");
        assertEquals(0, pdu.dgst(), "DGST: none asked, none granted");
        assertTrue(pdu.maxH2cData() >= IcRespPdu.MIN_MAXH2CDATA, "MAXH2CDATA " + pdu.maxH2cData());
        assertEquals(0, pdu.maxH2cData() % 4, "MAXH2CDATA a multiple of 4: " + pdu.maxH2cData());
    }

    @Test
    void shouldListTheSubsystemWhenNvmeCliInTheGuestDiscoversItsOwnTarget() {
        String log = guest.execOk("nvme discover -t tcp -a 127.0.0.1 -s " + QemuGuest.NVME_TCP_PORT, SHORT);

        assertTrue(log.contains("subnqn:") && log.contains(NQN), "discovery log lists " + NQN + ":\n" + log);
        assertTrue(log.contains("trtype:  tcp") || log.contains("trtype: tcp"), log);
    }

    @Test
    void shouldShowKernelMessagesOnTheConsoleWhenTheTargetIsUsed() {
        assertTrue(guest.console().contains(QemuGuest.READY_MARKER), guest.console());
        assertTrue(guest.console().contains("nvmet"), "printk level 7 puts nvmet's messages on the console");
    }
}
