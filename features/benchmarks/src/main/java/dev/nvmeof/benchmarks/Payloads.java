package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Test data for the benchmarks: deterministic payloads and the SQE and CQE of a read. */
final class Payloads {
    /** Block size the read SQE assumes: 512-byte LBAs. */
    static final int LBA_SIZE = 512;

    private static final int NVM_READ = 0x02;
    /** SQE flags: PSDT 01b, SGLs are used (every NVMe over Fabrics command). */
    private static final int PSDT_SGL = 0x40;
    /** SGL descriptor type 5h (Transport SGL Data Block), sub type Ah (Transport Specific): NVMe/TCP's descriptor. */
    private static final int TRANSPORT_SGL_DATA_BLOCK = 0x5a;

    private Payloads() {
    }

    /** {@code size} pseudo-random bytes (a fixed seed, so every run digests the same data), position 0. */
    static ByteBuffer random(int size, boolean direct) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        return buffer.order(ByteOrder.LITTLE_ENDIAN).put(bytes).flip();
    }

    /** A zeroed little-endian direct buffer. */
    static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The 64-byte SQE of an NVM Read as an NVMe/TCP host sends it: namespace 1, {@code length} bytes at
     * {@code slba}, data described by a transport SGL data block (the data comes back in C2HData PDUs).
     */
    static ByteBuffer readSqe(int cid, long slba, int length) {
        ByteBuffer sqe = direct(64);
        sqe.put(0, (byte) NVM_READ);
        sqe.put(1, (byte) PSDT_SGL);
        sqe.putShort(2, (short) cid);
        sqe.putInt(4, 1);                                // NSID
        sqe.putInt(24 + 8, length);                      // SGL1: address 0, length, type
        sqe.put(24 + 15, (byte) TRANSPORT_SGL_DATA_BLOCK);
        sqe.putLong(40, slba);                           // CDW10-11: SLBA
        sqe.putShort(48, (short) (length / LBA_SIZE - 1)); // CDW12: NLB, 0s based
        return sqe;
    }

    /** The 16-byte CQE of a successful command: SQ head 1, SQ id 1, phase tag 1. */
    static ByteBuffer successCqe(int cid) {
        ByteBuffer cqe = direct(16);
        cqe.putShort(8, (short) 1);                      // SQHD
        cqe.putShort(10, (short) 1);                     // SQID
        cqe.putShort(12, (short) cid);
        cqe.putShort(14, (short) 1);                     // status 0, phase 1
        return cqe;
    }
}
