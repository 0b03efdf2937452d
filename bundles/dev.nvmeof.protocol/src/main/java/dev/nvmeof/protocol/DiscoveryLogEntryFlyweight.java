package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * One Discovery Log Page entry, NVMe over Fabrics 1.1 section 5.3 (Discovery Log Page Entry): 1024 bytes,
 * little-endian. Entry {@code i} of a page starts at {@link DiscoveryLogPageFlyweight#entryOffset(long)}.
 *
 * <pre>
 *  offset  size  field
 *       0     1  TRTYPE   transport type: 1 RDMA, 2 FC, 3 TCP, 254 intra-host
 *       1     1  ADRFAM   address family: 1 IPv4, 2 IPv6, 3 IB, 4 FC
 *       2     1  SUBTYPE  1 referral to a discovery subsystem, 2 NVM subsystem, 3 current discovery subsystem
 *       3     1  TREQ     transport requirements: secure channel 1:0, bit 2 SQ flow control disable supported
 *       4     2  PORTID   port ID
 *       6     2  CNTLID   controller ID, FFFFh dynamic model, FFFEh temporary
 *       8     2  ASQSZ    admin max SQ size
 *      10     2  EFLAGS   entry flags: bit 0 DUPRETINFO, bit 1 EPCSD, bit 2 NCC
 *      12    20  reserved
 *      32    32  TRSVCID  transport service ID, ASCII (the TCP port, "4420")
 *      64   192  reserved
 *     256   256  SUBNQN   NVM subsystem NQN, UTF-8, NUL terminated
 *     512   256  TRADDR   transport address, ASCII ("127.0.0.1")
 *     768   256  TSAS     transport specific address subtype; TCP: byte 0 SECTYPE
 * </pre>
 *
 * <p>TRSVCID and TRADDR are written padded with spaces, as SPDK does; Linux nvmet pads them with NULs, and nvme-cli
 * strips trailing spaces, so reading accepts both.
 */
public final class DiscoveryLogEntryFlyweight extends StructFlyweight<DiscoveryLogEntryFlyweight> {
    public static final int LENGTH = 1024;

    public static final int TRTYPE_OFFSET = 0;
    public static final int ADRFAM_OFFSET = 1;
    public static final int SUBTYPE_OFFSET = 2;
    public static final int TREQ_OFFSET = 3;
    public static final int PORTID_OFFSET = 4;
    public static final int CNTLID_OFFSET = 6;
    public static final int ASQSZ_OFFSET = 8;
    public static final int EFLAGS_OFFSET = 10;
    public static final int TRSVCID_OFFSET = 32;
    public static final int TRSVCID_LENGTH = 32;
    public static final int SUBNQN_OFFSET = 256;
    public static final int SUBNQN_LENGTH = 256;
    public static final int TRADDR_OFFSET = 512;
    public static final int TRADDR_LENGTH = 256;
    public static final int TSAS_OFFSET = 768;
    public static final int TSAS_LENGTH = 256;
    /** TCP: SECTYPE is TSAS byte 0. */
    public static final int SECTYPE_OFFSET = TSAS_OFFSET;

    public static final int TRTYPE_RDMA = 1;
    public static final int TRTYPE_FC = 2;
    public static final int TRTYPE_TCP = 3;
    public static final int TRTYPE_INTRA_HOST = 254;

    public static final int ADRFAM_IPV4 = 1;
    public static final int ADRFAM_IPV6 = 2;
    public static final int ADRFAM_IB = 3;
    public static final int ADRFAM_FC = 4;

    public static final int SUBTYPE_DISCOVERY_REFERRAL = 1;
    public static final int SUBTYPE_NVM = 2;
    public static final int SUBTYPE_CURRENT_DISCOVERY = 3;

    /** TREQ bits 1:0, secure channel. */
    public static final int TREQ_SECURE_CHANNEL_MASK = 0x3;
    public static final int TREQ_SECURE_CHANNEL_NOT_SPECIFIED = 0;
    public static final int TREQ_SECURE_CHANNEL_REQUIRED = 1;
    public static final int TREQ_SECURE_CHANNEL_NOT_REQUIRED = 2;
    /** TREQ bit 2: the controller can disable SQ flow control. */
    public static final int TREQ_SQ_FLOW_CONTROL_DISABLE = 1 << 2;

    public static final int CNTLID_DYNAMIC = 0xFFFF;
    public static final int CNTLID_TEMPORARY = 0xFFFE;

    public static final int EFLAGS_DUPRETINFO = 1;
    public static final int EFLAGS_EPCSD = 1 << 1;
    public static final int EFLAGS_NCC = 1 << 2;

    public static final int SECTYPE_NONE = 0;
    public static final int SECTYPE_TLS12 = 1;
    public static final int SECTYPE_TLS13 = 2;

    /** Views the 1024 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public DiscoveryLogEntryFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Zeroes all 1024 bytes. */
    public DiscoveryLogEntryFlyweight clear() {
        return zero(0, LENGTH);
    }

    public int trtype() { return u8(TRTYPE_OFFSET); }
    public DiscoveryLogEntryFlyweight trtype(int v) { return u8(TRTYPE_OFFSET, v); }
    public int adrfam() { return u8(ADRFAM_OFFSET); }
    public DiscoveryLogEntryFlyweight adrfam(int v) { return u8(ADRFAM_OFFSET, v); }
    public int subtype() { return u8(SUBTYPE_OFFSET); }
    public DiscoveryLogEntryFlyweight subtype(int v) { return u8(SUBTYPE_OFFSET, v); }
    public int treq() { return u8(TREQ_OFFSET); }
    public DiscoveryLogEntryFlyweight treq(int v) { return u8(TREQ_OFFSET, v); }
    public int portid() { return u16(PORTID_OFFSET); }
    public DiscoveryLogEntryFlyweight portid(int v) { return u16(PORTID_OFFSET, v); }
    public int cntlid() { return u16(CNTLID_OFFSET); }
    public DiscoveryLogEntryFlyweight cntlid(int v) { return u16(CNTLID_OFFSET, v); }
    public int asqsz() { return u16(ASQSZ_OFFSET); }
    public DiscoveryLogEntryFlyweight asqsz(int v) { return u16(ASQSZ_OFFSET, v); }
    public int eflags() { return u16(EFLAGS_OFFSET); }
    public DiscoveryLogEntryFlyweight eflags(int v) { return u16(EFLAGS_OFFSET, v); }
    public int sectype() { return u8(SECTYPE_OFFSET); }
    public DiscoveryLogEntryFlyweight sectype(int v) { return u8(SECTYPE_OFFSET, v); }

    public String trsvcid() { return ascii(TRSVCID_OFFSET, TRSVCID_LENGTH); }
    public DiscoveryLogEntryFlyweight trsvcid(String v) {
        return ascii(TRSVCID_OFFSET, TRSVCID_LENGTH, v);
    }

    public String subnqn() { return utf8(SUBNQN_OFFSET, SUBNQN_LENGTH); }
    public DiscoveryLogEntryFlyweight subnqn(String v) {
        return utf8(SUBNQN_OFFSET, SUBNQN_LENGTH, v);
    }

    public String traddr() { return ascii(TRADDR_OFFSET, TRADDR_LENGTH); }
    public DiscoveryLogEntryFlyweight traddr(String v) {
        return ascii(TRADDR_OFFSET, TRADDR_LENGTH, v);
    }

    /** Copies the 256 TSAS bytes into {@code dst} at index 0. */
    public void copyTsas(byte[] dst) { getBytes(TSAS_OFFSET, dst, TSAS_LENGTH); }

    public DiscoveryLogEntry toRecord() {
        return new DiscoveryLogEntry(trtype(), adrfam(), subtype(), treq(), portid(), cntlid(), asqsz(), eflags(),
                trsvcid(), subnqn(), traddr(), sectype());
    }

    /** Clears the entry and encodes {@code r}; TSAS bytes other than SECTYPE are zero. */
    public DiscoveryLogEntryFlyweight write(DiscoveryLogEntry r) {
        clear();
        return trtype(r.trtype()).adrfam(r.adrfam()).subtype(r.subtype()).treq(r.treq()).portid(r.portid())
                .cntlid(r.cntlid()).asqsz(r.asqsz()).eflags(r.eflags()).trsvcid(r.trsvcid()).subnqn(r.subnqn())
                .traddr(r.traddr()).sectype(r.sectype());
    }
}
