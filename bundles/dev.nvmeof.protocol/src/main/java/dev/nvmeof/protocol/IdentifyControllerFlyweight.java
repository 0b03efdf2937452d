package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * Identify Controller data structure (CNS 01h), NVM Express Base 2.0 section 5.17.2.1, with the
 * Fabrics fields of NVMe over Fabrics 1.1 section 4.1. 4096 bytes, little-endian. Only the fields below are modelled;
 * the rest (power state descriptors at 2048, vendor specific at 3072) reads and writes through the buffer.
 *
 * <pre>
 *  offset  size  field
 *       0     2  VID        PCI vendor ID
 *       2     2  SSVID      PCI subsystem vendor ID
 *       4    20  SN         serial number, ASCII, space padded
 *      24    40  MN         model number, ASCII, space padded
 *      64     8  FR         firmware revision, ASCII, space padded
 *      72     1  RAB        recommended arbitration burst
 *      73     3  IEEE       IEEE OUI, least significant byte first
 *      76     1  CMIC       multi-path I/O and namespace sharing
 *      77     1  MDTS       maximum data transfer size, 2^n of CAP.MPSMIN, 0 = no limit
 *      78     2  CNTLID     controller ID
 *      80     4  VER        version (major 31:16, minor 15:8, tertiary 7:0)
 *      84     4  RTD3R      RTD3 resume latency, microseconds
 *      88     4  RTD3E      RTD3 entry latency, microseconds
 *      92     4  OAES       optional asynchronous events supported
 *      96     4  CTRATT     controller attributes
 *     111     1  CNTRLTYPE  1 I/O, 2 discovery, 3 administrative
 *     256     2  OACS       optional admin command support
 *     258     1  ACL        abort command limit, 0's based
 *     259     1  AERL       asynchronous event request limit, 0's based
 *     260     1  FRMW       firmware updates
 *     261     1  LPA        log page attributes
 *     262     1  ELPE       error log page entries, 0's based
 *     263     1  NPSS       number of power states supported, 0's based
 *     320     2  KAS        keep alive support, units of 100 ms
 *     512     1  SQES       SQ entry size: max 7:4, required 3:0, log2 bytes
 *     513     1  CQES       CQ entry size: max 7:4, required 3:0, log2 bytes
 *     514     2  MAXCMD     maximum outstanding commands
 *     516     4  NN         number of namespaces (largest NSID)
 *     520     2  ONCS       optional NVM command support
 *     522     2  FUSES      fused operation support
 *     524     1  FNA        format NVM attributes
 *     525     1  VWC        volatile write cache
 *     526     2  AWUN       atomic write unit normal, 0's based
 *     528     2  AWUPF      atomic write unit power fail, 0's based
 *     530     1  NVSCC      NVM vendor specific command configuration (ICSVSCC in 2.0)
 *     532     2  ACWU       atomic compare and write unit, 0's based
 *     536     4  SGLS       SGL support
 *     540     4  MNAN       maximum number of allowed namespaces
 *     768   256  SUBNQN     NVM subsystem NQN, UTF-8, NUL terminated
 *    1792     4  IOCCSZ     I/O queue command capsule size, 16-byte units
 *    1796     4  IORCSZ     I/O queue response capsule size, 16-byte units
 *    1800     2  ICDOFF     in capsule data offset, 16-byte units
 *    1802     1  FCATT      fabrics controller attributes (bit 0: static model)
 *    1803     1  MSDBD      maximum SGL data block descriptors, 0 = no limit
 *    1804     2  OFCS       optional fabric commands support
 * </pre>
 *
 * <p>Unsigned 8 and 16-bit fields are {@code int}s; 32-bit fields are {@code int}s holding the raw bits (use
 * {@link Integer#toUnsignedLong(int)}). Numeric getters and setters do not allocate; string fields do.
 */
public final class IdentifyControllerFlyweight extends StructFlyweight<IdentifyControllerFlyweight> {
    public static final int LENGTH = 4096;

    public static final int VID_OFFSET = 0;
    public static final int SSVID_OFFSET = 2;
    public static final int SN_OFFSET = 4;
    public static final int SN_LENGTH = 20;
    public static final int MN_OFFSET = 24;
    public static final int MN_LENGTH = 40;
    public static final int FR_OFFSET = 64;
    public static final int FR_LENGTH = 8;
    public static final int RAB_OFFSET = 72;
    public static final int IEEE_OFFSET = 73;
    public static final int IEEE_LENGTH = 3;
    public static final int CMIC_OFFSET = 76;
    public static final int MDTS_OFFSET = 77;
    public static final int CNTLID_OFFSET = 78;
    public static final int VER_OFFSET = 80;
    public static final int RTD3R_OFFSET = 84;
    public static final int RTD3E_OFFSET = 88;
    public static final int OAES_OFFSET = 92;
    public static final int CTRATT_OFFSET = 96;
    public static final int CNTRLTYPE_OFFSET = 111;
    public static final int OACS_OFFSET = 256;
    public static final int ACL_OFFSET = 258;
    public static final int AERL_OFFSET = 259;
    public static final int FRMW_OFFSET = 260;
    public static final int LPA_OFFSET = 261;
    public static final int ELPE_OFFSET = 262;
    public static final int NPSS_OFFSET = 263;
    public static final int KAS_OFFSET = 320;
    public static final int SQES_OFFSET = 512;
    public static final int CQES_OFFSET = 513;
    public static final int MAXCMD_OFFSET = 514;
    public static final int NN_OFFSET = 516;
    public static final int ONCS_OFFSET = 520;
    public static final int FUSES_OFFSET = 522;
    public static final int FNA_OFFSET = 524;
    public static final int VWC_OFFSET = 525;
    public static final int AWUN_OFFSET = 526;
    public static final int AWUPF_OFFSET = 528;
    public static final int NVSCC_OFFSET = 530;
    public static final int ACWU_OFFSET = 532;
    public static final int SGLS_OFFSET = 536;
    public static final int MNAN_OFFSET = 540;
    public static final int SUBNQN_OFFSET = 768;
    public static final int SUBNQN_LENGTH = 256;
    public static final int IOCCSZ_OFFSET = 1792;
    public static final int IORCSZ_OFFSET = 1796;
    public static final int ICDOFF_OFFSET = 1800;
    public static final int FCATT_OFFSET = 1802;
    public static final int MSDBD_OFFSET = 1803;
    public static final int OFCS_OFFSET = 1804;

    /** CNTRLTYPE values. 0 means "not reported" (controllers before 1.4). */
    public static final int CNTRLTYPE_IO = 1;
    public static final int CNTRLTYPE_DISCOVERY = 2;
    public static final int CNTRLTYPE_ADMIN = 3;

    /** ONCS bits. */
    public static final int ONCS_COMPARE = 1;
    public static final int ONCS_WRITE_UNCORRECTABLE = 1 << 1;
    public static final int ONCS_DATASET_MANAGEMENT = 1 << 2;
    public static final int ONCS_WRITE_ZEROES = 1 << 3;
    public static final int ONCS_SAVE_SELECT_FEATURES = 1 << 4;
    public static final int ONCS_RESERVATIONS = 1 << 5;
    public static final int ONCS_TIMESTAMP = 1 << 6;
    public static final int ONCS_VERIFY = 1 << 7;
    public static final int ONCS_COPY = 1 << 8;

    /** VWC bit 0: a volatile write cache is present. */
    public static final int VWC_PRESENT = 1;

    /** Views the 4096 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public IdentifyControllerFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Zeroes all 4096 bytes, so that unmodelled fields read as "not supported". */
    public IdentifyControllerFlyweight clear() {
        return zero(0, LENGTH);
    }

    public int vid() { return u16(VID_OFFSET); }
    public IdentifyControllerFlyweight vid(int v) { return u16(VID_OFFSET, v); }
    public int ssvid() { return u16(SSVID_OFFSET); }
    public IdentifyControllerFlyweight ssvid(int v) { return u16(SSVID_OFFSET, v); }

    public String sn() { return ascii(SN_OFFSET, SN_LENGTH); }
    public IdentifyControllerFlyweight sn(String v) { return ascii(SN_OFFSET, SN_LENGTH, v); }
    public String mn() { return ascii(MN_OFFSET, MN_LENGTH); }
    public IdentifyControllerFlyweight mn(String v) { return ascii(MN_OFFSET, MN_LENGTH, v); }
    public String fr() { return ascii(FR_OFFSET, FR_LENGTH); }
    public IdentifyControllerFlyweight fr(String v) { return ascii(FR_OFFSET, FR_LENGTH, v); }

    public int rab() { return u8(RAB_OFFSET); }
    public IdentifyControllerFlyweight rab(int v) { return u8(RAB_OFFSET, v); }

    /** The 24-bit IEEE OUI; the spec stores it least significant byte first. */
    public int ieee() { return u8(IEEE_OFFSET) | u8(IEEE_OFFSET + 1) << 8 | u8(IEEE_OFFSET + 2) << 16; }
    public IdentifyControllerFlyweight ieee(int v) {
        return u8(IEEE_OFFSET, v).u8(IEEE_OFFSET + 1, v >>> 8).u8(IEEE_OFFSET + 2, v >>> 16);
    }

    public int cmic() { return u8(CMIC_OFFSET); }
    public IdentifyControllerFlyweight cmic(int v) { return u8(CMIC_OFFSET, v); }
    public int mdts() { return u8(MDTS_OFFSET); }
    public IdentifyControllerFlyweight mdts(int v) { return u8(MDTS_OFFSET, v); }
    public int cntlid() { return u16(CNTLID_OFFSET); }
    public IdentifyControllerFlyweight cntlid(int v) { return u16(CNTLID_OFFSET, v); }
    public int ver() { return u32(VER_OFFSET); }
    public IdentifyControllerFlyweight ver(int v) { return u32(VER_OFFSET, v); }
    public int rtd3r() { return u32(RTD3R_OFFSET); }
    public IdentifyControllerFlyweight rtd3r(int v) { return u32(RTD3R_OFFSET, v); }
    public int rtd3e() { return u32(RTD3E_OFFSET); }
    public IdentifyControllerFlyweight rtd3e(int v) { return u32(RTD3E_OFFSET, v); }
    public int oaes() { return u32(OAES_OFFSET); }
    public IdentifyControllerFlyweight oaes(int v) { return u32(OAES_OFFSET, v); }
    public int ctratt() { return u32(CTRATT_OFFSET); }
    public IdentifyControllerFlyweight ctratt(int v) { return u32(CTRATT_OFFSET, v); }
    public int cntrltype() { return u8(CNTRLTYPE_OFFSET); }
    public IdentifyControllerFlyweight cntrltype(int v) { return u8(CNTRLTYPE_OFFSET, v); }

    public int oacs() { return u16(OACS_OFFSET); }
    public IdentifyControllerFlyweight oacs(int v) { return u16(OACS_OFFSET, v); }
    public int acl() { return u8(ACL_OFFSET); }
    public IdentifyControllerFlyweight acl(int v) { return u8(ACL_OFFSET, v); }
    public int aerl() { return u8(AERL_OFFSET); }
    public IdentifyControllerFlyweight aerl(int v) { return u8(AERL_OFFSET, v); }
    public int frmw() { return u8(FRMW_OFFSET); }
    public IdentifyControllerFlyweight frmw(int v) { return u8(FRMW_OFFSET, v); }
    public int lpa() { return u8(LPA_OFFSET); }
    public IdentifyControllerFlyweight lpa(int v) { return u8(LPA_OFFSET, v); }
    public int elpe() { return u8(ELPE_OFFSET); }
    public IdentifyControllerFlyweight elpe(int v) { return u8(ELPE_OFFSET, v); }
    public int npss() { return u8(NPSS_OFFSET); }
    public IdentifyControllerFlyweight npss(int v) { return u8(NPSS_OFFSET, v); }
    public int kas() { return u16(KAS_OFFSET); }
    public IdentifyControllerFlyweight kas(int v) { return u16(KAS_OFFSET, v); }

    public int sqes() { return u8(SQES_OFFSET); }
    public IdentifyControllerFlyweight sqes(int v) { return u8(SQES_OFFSET, v); }
    public int cqes() { return u8(CQES_OFFSET); }
    public IdentifyControllerFlyweight cqes(int v) { return u8(CQES_OFFSET, v); }
    public int maxcmd() { return u16(MAXCMD_OFFSET); }
    public IdentifyControllerFlyweight maxcmd(int v) { return u16(MAXCMD_OFFSET, v); }
    public int nn() { return u32(NN_OFFSET); }
    public IdentifyControllerFlyweight nn(int v) { return u32(NN_OFFSET, v); }
    public int oncs() { return u16(ONCS_OFFSET); }
    public IdentifyControllerFlyweight oncs(int v) { return u16(ONCS_OFFSET, v); }
    public int fuses() { return u16(FUSES_OFFSET); }
    public IdentifyControllerFlyweight fuses(int v) { return u16(FUSES_OFFSET, v); }
    public int fna() { return u8(FNA_OFFSET); }
    public IdentifyControllerFlyweight fna(int v) { return u8(FNA_OFFSET, v); }
    public int vwc() { return u8(VWC_OFFSET); }
    public IdentifyControllerFlyweight vwc(int v) { return u8(VWC_OFFSET, v); }
    public int awun() { return u16(AWUN_OFFSET); }
    public IdentifyControllerFlyweight awun(int v) { return u16(AWUN_OFFSET, v); }
    public int awupf() { return u16(AWUPF_OFFSET); }
    public IdentifyControllerFlyweight awupf(int v) { return u16(AWUPF_OFFSET, v); }
    public int nvscc() { return u8(NVSCC_OFFSET); }
    public IdentifyControllerFlyweight nvscc(int v) { return u8(NVSCC_OFFSET, v); }
    public int acwu() { return u16(ACWU_OFFSET); }
    public IdentifyControllerFlyweight acwu(int v) { return u16(ACWU_OFFSET, v); }
    public int sgls() { return u32(SGLS_OFFSET); }
    public IdentifyControllerFlyweight sgls(int v) { return u32(SGLS_OFFSET, v); }
    public int mnan() { return u32(MNAN_OFFSET); }
    public IdentifyControllerFlyweight mnan(int v) { return u32(MNAN_OFFSET, v); }

    public String subnqn() { return utf8(SUBNQN_OFFSET, SUBNQN_LENGTH); }
    public IdentifyControllerFlyweight subnqn(String v) {
        return utf8(SUBNQN_OFFSET, SUBNQN_LENGTH, v);
    }

    public int ioccsz() { return u32(IOCCSZ_OFFSET); }
    public IdentifyControllerFlyweight ioccsz(int v) { return u32(IOCCSZ_OFFSET, v); }
    public int iorcsz() { return u32(IORCSZ_OFFSET); }
    public IdentifyControllerFlyweight iorcsz(int v) { return u32(IORCSZ_OFFSET, v); }
    public int icdoff() { return u16(ICDOFF_OFFSET); }
    public IdentifyControllerFlyweight icdoff(int v) { return u16(ICDOFF_OFFSET, v); }
    public int fcatt() { return u8(FCATT_OFFSET); }
    public IdentifyControllerFlyweight fcatt(int v) { return u8(FCATT_OFFSET, v); }
    public int msdbd() { return u8(MSDBD_OFFSET); }
    public IdentifyControllerFlyweight msdbd(int v) { return u8(MSDBD_OFFSET, v); }
    public int ofcs() { return u16(OFCS_OFFSET); }
    public IdentifyControllerFlyweight ofcs(int v) { return u16(OFCS_OFFSET, v); }

    /** Keep alive support in milliseconds (KAS is in units of 100 ms); 0 if keep alive is not supported. */
    public int keepAliveGranularityMillis() { return kas() * 100; }

    /** The maximum data transfer size in bytes for a memory page size of {@code mpsminBytes}; 0 means no limit. */
    public long maxDataTransferBytes(int mpsminBytes) {
        int mdts = mdts();
        return mdts == 0 ? 0 : (long) mpsminBytes << mdts;
    }

    /** An immutable copy of the modelled fields. */
    public IdentifyController toRecord() {
        return new IdentifyController(vid(), ssvid(), sn(), mn(), fr(), rab(), ieee(), cmic(), mdts(), cntlid(),
                ver(), rtd3r(), rtd3e(), oaes(), ctratt(), cntrltype(), oacs(), acl(), aerl(), frmw(), lpa(), elpe(),
                npss(), kas(), sqes(), cqes(), maxcmd(), nn(), oncs(), fuses(), fna(), vwc(), awun(), awupf(), nvscc(),
                acwu(), sgls(), mnan(), subnqn(), ioccsz(), iorcsz(), icdoff(), fcatt(), msdbd(), ofcs());
    }

    /** Clears the structure and encodes {@code r}; every field not in the record is left zero. */
    public IdentifyControllerFlyweight write(IdentifyController r) {
        clear();
        vid(r.vid()).ssvid(r.ssvid()).sn(r.sn()).mn(r.mn()).fr(r.fr()).rab(r.rab()).ieee(r.ieee()).cmic(r.cmic())
                .mdts(r.mdts()).cntlid(r.cntlid()).ver(r.ver()).rtd3r(r.rtd3r()).rtd3e(r.rtd3e()).oaes(r.oaes())
                .ctratt(r.ctratt()).cntrltype(r.cntrltype()).oacs(r.oacs()).acl(r.acl()).aerl(r.aerl())
                .frmw(r.frmw()).lpa(r.lpa()).elpe(r.elpe()).npss(r.npss()).kas(r.kas()).sqes(r.sqes())
                .cqes(r.cqes()).maxcmd(r.maxcmd()).nn(r.nn()).oncs(r.oncs()).fuses(r.fuses()).fna(r.fna())
                .vwc(r.vwc()).awun(r.awun()).awupf(r.awupf()).nvscc(r.nvscc()).acwu(r.acwu()).sgls(r.sgls())
                .mnan(r.mnan()).subnqn(r.subnqn()).ioccsz(r.ioccsz()).iorcsz(r.iorcsz()).icdoff(r.icdoff())
                .fcatt(r.fcatt()).msdbd(r.msdbd()).ofcs(r.ofcs());
        return this;
    }
}
