package dev.nvmeof.wirecheck;

import static dev.nvmeof.wirecheck.QueueEntries.OPCODE_READ;
import static dev.nvmeof.wirecheck.QueueEntries.OPCODE_WRITE;
import static dev.nvmeof.wirecheck.QueueEntries.cqe;
import static dev.nvmeof.wirecheck.QueueEntries.inCapsuleData;
import static dev.nvmeof.wirecheck.QueueEntries.pattern;
import static dev.nvmeof.wirecheck.QueueEntries.readWrite;
import static dev.nvmeof.wirecheck.QueueEntries.transportData;

import dev.nvmeof.protocol.tcp.FatalErrorStatus;
import dev.nvmeof.protocol.tcp.PduFlags;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The capture the wire check feeds to tshark: NVMe/TCP connections to port 4420, each one queue, together using every
 * PDU type, with and without header and data digests, with in-capsule data and R2T flows, and with PDU data padding.
 *
 * <pre>
 *  stream  queue  digests  HPDA/CPDA  segment  PDUs
 *  0       admin  -        0/0        16 KiB   ICReq ICResp | Connect+data Resp | PropGet Resp | PropSet Resp |
 *                                              Identify C2HData(LAST) Resp
 *  1       I/O    -        0/0        16 KiB   ICReq ICResp | Connect+data Resp | Write+4 KiB Resp |
 *                                              Write R2T H2CData H2CData(LAST) Resp | Read C2HData x2 (LAST) Resp |
 *                                              Read C2HData(SUCCESS)
 *  2, 3    as 0, 1 with header and data digests
 *  4       I/O    header   3/7        1460 B   as 1, data padded to 16 B (C2H) and 32 B (H2C) boundaries
 *  5       I/O    both     0/0        16 KiB   ICReq ICResp H2CTermReq
 *  6       I/O    both     0/0        16 KiB   ICReq ICResp Connect+data C2HTermReq
 * </pre>
 *
 * Stream 4 has no data digest because Wireshark 4.0 cannot check one behind padding: it computes the CRC from PDO
 * over PLEN - HLEN - HDGST - DDGST bytes, so the padding length runs into the digest itself (C2HData/H2CData show
 * "bad" digests, a CapsuleCmd throws "Malformed Packet"). The bytes are right (CRC32C of the data alone, as the
 * TCP transport specification and the Linux kernel have it); the dissector reads them wrong.
 */
final class NvmeTcpCapture {
    static final int NVME_TCP_PORT = 4420;
    static final String SUBSYSTEM_NQN = "nqn.2024-01.dev.nvmeof:wirecheck";
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:0c0a4a1e-57d3-4c3b-9e0f-5a1c2b3d4e5f";
    private static final int MAX_H2C_DATA = 32 * 1024;
    private static final int LOOPBACK_MSS = 16 * 1024;
    private static final int ETHERNET_MSS = 1460;
    /** Connect CATTR bit 2: SQ flow control disabled, which is what allows C2HData with SUCCESS. */
    private static final int CATTR_SQ_FLOW_CONTROL_DISABLED = 0x04;

    final List<PduStream> streams;

    private NvmeTcpCapture(List<PduStream> streams) {
        this.streams = streams;
    }

    /** The full capture described above. */
    static NvmeTcpCapture standard() {
        List<PduStream> streams = new ArrayList<>();
        streams.add(adminQueue(new PduStream("admin, no digests", 50_100, LOOPBACK_MSS).initialize(0, 0, false,
                false, MAX_H2C_DATA)));
        streams.add(ioQueue(new PduStream("I/O, no digests", 50_101, LOOPBACK_MSS).initialize(0, 0, false, false,
                MAX_H2C_DATA)));
        streams.add(adminQueue(new PduStream("admin, header+data digests", 50_102, LOOPBACK_MSS).initialize(0, 0,
                true, true, MAX_H2C_DATA)));
        streams.add(ioQueue(new PduStream("I/O, header+data digests", 50_103, LOOPBACK_MSS).initialize(0, 0, true,
                true, MAX_H2C_DATA)));
        streams.add(ioQueue(new PduStream("I/O, header digest, HPDA 3, CPDA 7, MSS 1460", 50_104, ETHERNET_MSS)
                .initialize(3, 7, true, false, MAX_H2C_DATA)));
        streams.add(new PduStream("H2CTermReq", 50_105, LOOPBACK_MSS).initialize(0, 0, true, true, MAX_H2C_DATA)
                .termReq(true, FatalErrorStatus.HEADER_DIGEST_ERROR, 0, capsuleRespWithBadDigest()));
        PduStream c2hTerm = new PduStream("C2HTermReq", 50_106, LOOPBACK_MSS).initialize(0, 0, true, true,
                MAX_H2C_DATA);
        connect(c2hTerm, 1, 1, 0);
        byte[] connectHeader = Arrays.copyOf(c2hTerm.pdus().get(2).bytes, 72);
        streams.add(c2hTerm.termReq(false, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, 44, connectHeader));
        return new NvmeTcpCapture(streams);
    }

    /** Admin queue: Connect, read CAP, enable the controller, Identify Controller. */
    private static PduStream adminQueue(PduStream s) {
        connect(s, 0, 0xffff, 0);
        s.capsuleResp(cqe(0, 0, 1, 1)); // DW0: CNTLID 1
        s.capsuleCmd(QueueEntries.propertyGet(1, 0x00, true), null);
        s.capsuleResp(cqe(1, 0, 2, 0x0000_0820_0f00_03ffL)); // CAP as the Linux target reports it
        s.capsuleCmd(QueueEntries.propertySet(2, 0x14, 0x0046_0001), null); // CC: IOSQES 6, IOCQES 4, EN
        s.capsuleResp(cqe(2, 0, 3, 0));
        s.capsuleCmd(QueueEntries.identify(3, 0, 1), null);
        s.c2hData(3, 0, QueueEntries.identifyController(), true, false);
        s.capsuleResp(cqe(3, 0, 4, 0));
        return s;
    }

    /** I/O queue: Connect, an in-capsule Write, a Write through R2T, a Read in two C2HData, a Read with SUCCESS. */
    private static PduStream ioQueue(PduStream s) {
        connect(s, 1, 1, CATTR_SQ_FLOW_CONTROL_DISABLED);
        s.capsuleResp(cqe(0, 1, 1, 1));

        byte[] small = pattern(4096, 1);
        s.capsuleCmd(inCapsuleData(readWrite(OPCODE_WRITE, 1, 1, 0, small.length), small.length), small);
        s.capsuleResp(cqe(1, 1, 2, 0));

        byte[] large = pattern(64 * 1024, 2);
        int half = large.length / 2;
        s.capsuleCmd(transportData(readWrite(OPCODE_WRITE, 2, 1, 8, large.length), large.length), null);
        s.r2t(2, 0x0101, 0, large.length);
        s.h2cData(2, 0x0101, 0, Arrays.copyOfRange(large, 0, half), false);
        s.h2cData(2, 0x0101, half, Arrays.copyOfRange(large, half, large.length), true);
        s.capsuleResp(cqe(2, 1, 3, 0));

        s.capsuleCmd(transportData(readWrite(OPCODE_READ, 3, 1, 8, large.length), large.length), null);
        s.c2hData(3, 0, Arrays.copyOfRange(large, 0, half), false, false);
        s.c2hData(3, half, Arrays.copyOfRange(large, half, large.length), true, false);
        s.capsuleResp(cqe(3, 1, 4, 0));

        s.capsuleCmd(transportData(readWrite(OPCODE_READ, 4, 1, 0, small.length), small.length), null);
        s.c2hData(4, 0, small, true, true);
        return s;
    }

    private static void connect(PduStream s, int qid, int cntlid, int cattr) {
        s.capsuleCmd(QueueEntries.connect(0, qid, 31, cattr, qid == 0 ? 5000 : 0),
                QueueEntries.connectData(cntlid, SUBSYSTEM_NQN, HOST_NQN));
    }

    /** The header of a CapsuleResp whose header digest is wrong: what an H2CTermReq with FES 03h quotes. */
    private static byte[] capsuleRespWithBadDigest() {
        ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        header.put(0, (byte) 0x05).put(1, (byte) PduFlags.HDGSTF).put(2, (byte) 24).putInt(4, 28);
        header.putInt(24, 0xdeadbeef);
        return header.array();
    }

    /** A copy in which the first PDU matching {@code which} is changed by {@code change} (its bytes, in place). */
    NvmeTcpCapture corrupt(Predicate<PduStream.Pdu> which, Consumer<byte[]> change) {
        List<PduStream> copies = new ArrayList<>();
        streams.forEach(stream -> copies.add(stream.copy()));
        PduStream.Pdu target = copies.stream().flatMap(stream -> stream.pdus().stream()).filter(which).findFirst()
                .orElseThrow(() -> new IllegalStateException("no PDU to corrupt"));
        change.accept(target.bytes);
        return new NvmeTcpCapture(copies);
    }

    /** Writes every stream as its own TCP connection to 127.0.0.1:4420, one after the other. */
    Path writePcap(Path file) throws IOException {
        PcapWriter pcap = new PcapWriter();
        for (PduStream stream : streams) {
            PcapWriter.TcpConnection connection = pcap.connect(stream.clientPort, NVME_TCP_PORT, stream.maxSegment);
            for (PduStream.Flight flight : stream.flights) {
                int length = flight.pdus.stream().mapToInt(pdu -> pdu.bytes.length).sum();
                byte[] bytes = new byte[length];
                int at = 0;
                for (PduStream.Pdu pdu : flight.pdus) {
                    System.arraycopy(pdu.bytes, 0, bytes, at, pdu.bytes.length);
                    at += pdu.bytes.length;
                }
                connection.send(flight.fromHost, bytes);
            }
            connection.close();
        }
        pcap.writeTo(file);
        return file;
    }
}
