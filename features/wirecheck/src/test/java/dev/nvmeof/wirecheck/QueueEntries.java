package dev.nvmeof.wirecheck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Submission and completion queue entries built byte by byte for the capture, until the protocol bundle has its own
 * command writers. Layouts from NVM Express Base 2.0 (4.2 SQE, 4.6 CQE) and NVMe over Fabrics 1.1 (3.3 Connect,
 * Property Get/Set):
 *
 * <pre>
 *  SQE  0 opcode | 1 flags (PSDT bits 7:6) | 2 CID (u16) | 4 NSID (u32) | 24 SGL1: address (u64), 32 length (u32),
 *       39 identifier (type/subtype) | 40 CDW10 .. 60 CDW15          Fabrics: FCTYPE at 4, fields from 40
 *  CQE  0 DW0 | 4 DW1 | 8 SQHD (u16) | 10 SQID (u16) | 12 CID (u16) | 14 status (u16)
 * </pre>
 */
final class QueueEntries {
    static final int SQE_LENGTH = 64;
    static final int CQE_LENGTH = 16;

    static final int OPCODE_FABRICS = 0x7f;
    static final int OPCODE_IDENTIFY = 0x06;
    static final int OPCODE_WRITE = 0x01;
    static final int OPCODE_READ = 0x02;
    static final int FCTYPE_PROPERTY_SET = 0x00;
    static final int FCTYPE_CONNECT = 0x01;
    static final int FCTYPE_PROPERTY_GET = 0x04;

    /** PSDT 01b: the data pointer is an SGL (the only kind NVMe/TCP carries). */
    private static final int PSDT_SGL = 0x40;
    /** SGL Data Block descriptor, subtype Offset: the data is in the capsule, ADDRESS is its offset. */
    private static final int SGL_IN_CAPSULE = 0x01;
    /** SGL Transport Data Block descriptor: the data moves in H2CData/C2HData PDUs. */
    private static final int SGL_TRANSPORT = 0x5a;

    private static final int CONNECT_DATA_LENGTH = 1024;

    private QueueEntries() {
    }

    /** A 64-byte little-endian SQE with the opcode and CID set. */
    static ByteBuffer sqe(int opcode, int cid) {
        ByteBuffer sqe = ByteBuffer.allocate(SQE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        sqe.put(0, (byte) opcode).putShort(2, (short) cid);
        return sqe;
    }

    /** Points SGL1 at {@code length} bytes of in-capsule data at offset 0. */
    static ByteBuffer inCapsuleData(ByteBuffer sqe, int length) {
        return sgl(sqe, length, SGL_IN_CAPSULE);
    }

    /** Points SGL1 at {@code length} bytes that move in data PDUs (R2T/H2CData for writes, C2HData for reads). */
    static ByteBuffer transportData(ByteBuffer sqe, int length) {
        return sgl(sqe, length, SGL_TRANSPORT);
    }

    private static ByteBuffer sgl(ByteBuffer sqe, int length, int identifier) {
        sqe.put(1, (byte) PSDT_SGL).putLong(24, 0).putInt(32, length).put(39, (byte) identifier);
        return sqe;
    }

    /** Fabrics Connect with its 1024 bytes of in-capsule data; {@code cattr} bit 2 disables SQ flow control. */
    static ByteBuffer connect(int cid, int qid, int sqsize, int cattr, int katoMillis) {
        ByteBuffer sqe = inCapsuleData(sqe(OPCODE_FABRICS, cid), CONNECT_DATA_LENGTH);
        sqe.put(4, (byte) FCTYPE_CONNECT).putShort(40, (short) 0).putShort(42, (short) qid)
                .putShort(44, (short) sqsize).put(46, (byte) cattr).putInt(48, katoMillis);
        return sqe;
    }

    /** The Connect command's data: HOSTID, CNTLID (FFFFh: any, on the admin queue), SUBNQN, HOSTNQN. */
    static byte[] connectData(int cntlid, String subNqn, String hostNqn) {
        ByteBuffer data = ByteBuffer.allocate(CONNECT_DATA_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            data.put(i, (byte) (0xa0 + i));
        }
        data.putShort(16, (short) cntlid);
        data.put(256, subNqn.getBytes(StandardCharsets.US_ASCII));
        data.put(512, hostNqn.getBytes(StandardCharsets.US_ASCII));
        return data.array();
    }

    /** Property Get of 4 or 8 bytes at a property offset (0 = CAP, 8 = VS, 14h = CC, 1Ch = CSTS). */
    static ByteBuffer propertyGet(int cid, int propertyOffset, boolean eightBytes) {
        ByteBuffer sqe = sqe(OPCODE_FABRICS, cid);
        sqe.put(4, (byte) FCTYPE_PROPERTY_GET).put(40, (byte) (eightBytes ? 1 : 0)).putInt(44, propertyOffset);
        return sqe;
    }

    /** Property Set of a 4-byte property. */
    static ByteBuffer propertySet(int cid, int propertyOffset, int value) {
        ByteBuffer sqe = sqe(OPCODE_FABRICS, cid);
        sqe.put(4, (byte) FCTYPE_PROPERTY_SET).put(40, (byte) 0).putInt(44, propertyOffset).putLong(48, value);
        return sqe;
    }

    /** Identify with this CNS (1: controller), returning 4096 bytes in C2HData. */
    static ByteBuffer identify(int cid, int nsid, int cns) {
        ByteBuffer sqe = transportData(sqe(OPCODE_IDENTIFY, cid), 4096);
        sqe.putInt(4, nsid).putInt(40, cns);
        return sqe;
    }

    /** An NVM Read or Write of {@code length} bytes (512-byte blocks) at SLBA; the caller sets SGL1. */
    static ByteBuffer readWrite(int opcode, int cid, int nsid, long slba, int length) {
        ByteBuffer sqe = sqe(opcode, cid);
        sqe.putInt(4, nsid).putLong(40, slba).putInt(48, length / 512 - 1);
        return sqe;
    }

    /** Identify Controller data: PCI IDs, serial, model and firmware as space-padded ASCII, SQES/CQES, NN. */
    static byte[] identifyController() {
        ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(0, (short) 0x1b36).putShort(2, (short) 0x1b36);
        ascii(data, 4, 20, "WIRECHECK0001");
        ascii(data, 24, 40, "nvmeof-offload wire check");
        ascii(data, 64, 8, "0.1.0");
        data.put(512, (byte) 0x66).put(513, (byte) 0x44).putInt(516, 1);
        ascii(data, 768, 256, "nqn.2024-01.dev.nvmeof:wirecheck");
        return data.array();
    }

    private static void ascii(ByteBuffer data, int at, int length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            data.put(at + i, i < bytes.length ? bytes[i] : (byte) ' ');
        }
    }

    /** A successful CQE (status 0) with DW0, the SQ head, SQ id and CID. */
    static ByteBuffer cqe(int cid, int sqid, int sqhd, long dw0) {
        ByteBuffer cqe = ByteBuffer.allocate(CQE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        cqe.putLong(0, dw0).putShort(8, (short) sqhd).putShort(10, (short) sqid).putShort(12, (short) cid);
        return cqe;
    }

    /** {@code length} bytes of a pattern that differs per seed, so misplaced data would show. */
    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed * 7 + (i >>> 9));
        }
        return bytes;
    }
}
