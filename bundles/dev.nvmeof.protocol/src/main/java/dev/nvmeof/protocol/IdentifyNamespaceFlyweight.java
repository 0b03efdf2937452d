package dev.nvmeof.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Identify Namespace data structure for the NVM command set (CNS 00h), NVM Command Set Specification 1.0 section
 * 4.1.5.1. 4096 bytes, little-endian.
 *
 * <pre>
 *  offset  size  field
 *       0     8  NSZE      namespace size, LBAs
 *       8     8  NCAP      namespace capacity, LBAs
 *      16     8  NUSE      namespace utilization, LBAs
 *      24     1  NSFEAT    namespace features
 *      25     1  NLBAF     number of LBA formats, 0's based
 *      26     1  FLBAS     formatted LBA size: format index 3:0 (and 6:5 as its high bits), bit 4 extended metadata
 *      27     1  MC        metadata capabilities
 *      28     1  DPC       end-to-end data protection capabilities
 *      29     1  DPS       end-to-end data protection type settings
 *      30     1  NMIC      multi-path I/O and namespace sharing
 *      31     1  RESCAP    reservation capabilities
 *      32     1  FPI       format progress indicator
 *      33     1  DLFEAT    deallocate logical block features
 *      34     2  NAWUN     atomic write unit normal, 0's based
 *      36     2  NAWUPF    atomic write unit power fail, 0's based
 *      38     2  NACWU     atomic compare and write unit, 0's based
 *      40     2  NABSN     atomic boundary size normal
 *      42     2  NABO      atomic boundary offset
 *      44     2  NABSPF    atomic boundary size power fail
 *      46     2  NOIOB     optimal I/O boundary, LBAs
 *      48    16  NVMCAP    NVM capacity, bytes (128-bit)
 *      64     2  NPWG      preferred write granularity, 0's based
 *      66     2  NPWA      preferred write alignment, 0's based
 *      68     2  NPDG      preferred deallocate granularity, 0's based
 *      70     2  NPDA      preferred deallocate alignment, 0's based
 *      72     2  NOWS      optimal write size, 0's based
 *      92     4  ANAGRPID  ANA group identifier
 *      99     1  NSATTR    namespace attributes
 *     100     2  NVMSETID  NVM set identifier
 *     102     2  ENDGID    endurance group identifier
 *     104    16  NGUID     namespace globally unique identifier
 *     120     8  EUI64     IEEE extended unique identifier
 *     128   256  LBAF0..63 LBA formats, 4 bytes each ({@link LbaFormat}); NVMe 1.4 had 16
 * </pre>
 */
public final class IdentifyNamespaceFlyweight extends StructFlyweight<IdentifyNamespaceFlyweight> {
    public static final int LENGTH = 4096;

    public static final int NSZE_OFFSET = 0;
    public static final int NCAP_OFFSET = 8;
    public static final int NUSE_OFFSET = 16;
    public static final int NSFEAT_OFFSET = 24;
    public static final int NLBAF_OFFSET = 25;
    public static final int FLBAS_OFFSET = 26;
    public static final int MC_OFFSET = 27;
    public static final int DPC_OFFSET = 28;
    public static final int DPS_OFFSET = 29;
    public static final int NMIC_OFFSET = 30;
    public static final int RESCAP_OFFSET = 31;
    public static final int FPI_OFFSET = 32;
    public static final int DLFEAT_OFFSET = 33;
    public static final int NAWUN_OFFSET = 34;
    public static final int NAWUPF_OFFSET = 36;
    public static final int NACWU_OFFSET = 38;
    public static final int NABSN_OFFSET = 40;
    public static final int NABO_OFFSET = 42;
    public static final int NABSPF_OFFSET = 44;
    public static final int NOIOB_OFFSET = 46;
    public static final int NVMCAP_OFFSET = 48;
    public static final int NVMCAP_LENGTH = 16;
    public static final int NPWG_OFFSET = 64;
    public static final int NPWA_OFFSET = 66;
    public static final int NPDG_OFFSET = 68;
    public static final int NPDA_OFFSET = 70;
    public static final int NOWS_OFFSET = 72;
    public static final int ANAGRPID_OFFSET = 92;
    public static final int NSATTR_OFFSET = 99;
    public static final int NVMSETID_OFFSET = 100;
    public static final int ENDGID_OFFSET = 102;
    public static final int NGUID_OFFSET = 104;
    public static final int NGUID_LENGTH = 16;
    public static final int EUI64_OFFSET = 120;
    public static final int EUI64_LENGTH = 8;
    public static final int LBAF_OFFSET = 128;
    public static final int LBAF_LENGTH = 4;
    /** Entries in the LBA format table (NVMe 2.0; NLBAF is 0's based, so at most 63). */
    public static final int LBAF_MAX = 64;

    /** FLBAS bit 4: metadata is transferred at the end of the data LBA (extended LBA). */
    public static final int FLBAS_EXTENDED_METADATA = 1 << 4;

    /** Views the 4096 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public IdentifyNamespaceFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    /** Zeroes all 4096 bytes. */
    public IdentifyNamespaceFlyweight clear() {
        return zero(0, LENGTH);
    }

    public long nsze() { return u64(NSZE_OFFSET); }
    public IdentifyNamespaceFlyweight nsze(long v) { return u64(NSZE_OFFSET, v); }
    public long ncap() { return u64(NCAP_OFFSET); }
    public IdentifyNamespaceFlyweight ncap(long v) { return u64(NCAP_OFFSET, v); }
    public long nuse() { return u64(NUSE_OFFSET); }
    public IdentifyNamespaceFlyweight nuse(long v) { return u64(NUSE_OFFSET, v); }

    public int nsfeat() { return u8(NSFEAT_OFFSET); }
    public IdentifyNamespaceFlyweight nsfeat(int v) { return u8(NSFEAT_OFFSET, v); }
    /** NLBAF, 0's based: {@link #lbafCount()} is one more. */
    public int nlbaf() { return u8(NLBAF_OFFSET); }
    public IdentifyNamespaceFlyweight nlbaf(int v) { return u8(NLBAF_OFFSET, v); }
    public int flbas() { return u8(FLBAS_OFFSET); }
    public IdentifyNamespaceFlyweight flbas(int v) { return u8(FLBAS_OFFSET, v); }
    public int mc() { return u8(MC_OFFSET); }
    public IdentifyNamespaceFlyweight mc(int v) { return u8(MC_OFFSET, v); }
    public int dpc() { return u8(DPC_OFFSET); }
    public IdentifyNamespaceFlyweight dpc(int v) { return u8(DPC_OFFSET, v); }
    public int dps() { return u8(DPS_OFFSET); }
    public IdentifyNamespaceFlyweight dps(int v) { return u8(DPS_OFFSET, v); }
    public int nmic() { return u8(NMIC_OFFSET); }
    public IdentifyNamespaceFlyweight nmic(int v) { return u8(NMIC_OFFSET, v); }
    public int rescap() { return u8(RESCAP_OFFSET); }
    public IdentifyNamespaceFlyweight rescap(int v) { return u8(RESCAP_OFFSET, v); }
    public int fpi() { return u8(FPI_OFFSET); }
    public IdentifyNamespaceFlyweight fpi(int v) { return u8(FPI_OFFSET, v); }
    public int dlfeat() { return u8(DLFEAT_OFFSET); }
    public IdentifyNamespaceFlyweight dlfeat(int v) { return u8(DLFEAT_OFFSET, v); }

    public int nawun() { return u16(NAWUN_OFFSET); }
    public IdentifyNamespaceFlyweight nawun(int v) { return u16(NAWUN_OFFSET, v); }
    public int nawupf() { return u16(NAWUPF_OFFSET); }
    public IdentifyNamespaceFlyweight nawupf(int v) { return u16(NAWUPF_OFFSET, v); }
    public int nacwu() { return u16(NACWU_OFFSET); }
    public IdentifyNamespaceFlyweight nacwu(int v) { return u16(NACWU_OFFSET, v); }
    public int nabsn() { return u16(NABSN_OFFSET); }
    public IdentifyNamespaceFlyweight nabsn(int v) { return u16(NABSN_OFFSET, v); }
    public int nabo() { return u16(NABO_OFFSET); }
    public IdentifyNamespaceFlyweight nabo(int v) { return u16(NABO_OFFSET, v); }
    public int nabspf() { return u16(NABSPF_OFFSET); }
    public IdentifyNamespaceFlyweight nabspf(int v) { return u16(NABSPF_OFFSET, v); }
    public int noiob() { return u16(NOIOB_OFFSET); }
    public IdentifyNamespaceFlyweight noiob(int v) { return u16(NOIOB_OFFSET, v); }

    /** NVMCAP bits 63:0. */
    public long nvmcapLow() { return u64(NVMCAP_OFFSET); }
    /** NVMCAP bits 127:64. */
    public long nvmcapHigh() { return u64(NVMCAP_OFFSET + Long.BYTES); }
    public IdentifyNamespaceFlyweight nvmcap(long low, long high) {
        return u64(NVMCAP_OFFSET, low).u64(NVMCAP_OFFSET + Long.BYTES, high);
    }

    public int npwg() { return u16(NPWG_OFFSET); }
    public IdentifyNamespaceFlyweight npwg(int v) { return u16(NPWG_OFFSET, v); }
    public int npwa() { return u16(NPWA_OFFSET); }
    public IdentifyNamespaceFlyweight npwa(int v) { return u16(NPWA_OFFSET, v); }
    public int npdg() { return u16(NPDG_OFFSET); }
    public IdentifyNamespaceFlyweight npdg(int v) { return u16(NPDG_OFFSET, v); }
    public int npda() { return u16(NPDA_OFFSET); }
    public IdentifyNamespaceFlyweight npda(int v) { return u16(NPDA_OFFSET, v); }
    public int nows() { return u16(NOWS_OFFSET); }
    public IdentifyNamespaceFlyweight nows(int v) { return u16(NOWS_OFFSET, v); }
    public int anagrpid() { return u32(ANAGRPID_OFFSET); }
    public IdentifyNamespaceFlyweight anagrpid(int v) { return u32(ANAGRPID_OFFSET, v); }
    public int nsattr() { return u8(NSATTR_OFFSET); }
    public IdentifyNamespaceFlyweight nsattr(int v) { return u8(NSATTR_OFFSET, v); }
    public int nvmsetid() { return u16(NVMSETID_OFFSET); }
    public IdentifyNamespaceFlyweight nvmsetid(int v) { return u16(NVMSETID_OFFSET, v); }
    public int endgid() { return u16(ENDGID_OFFSET); }
    public IdentifyNamespaceFlyweight endgid(int v) { return u16(ENDGID_OFFSET, v); }

    /** A copy of the 16 NGUID bytes. */
    public byte[] nguid() { byte[] b = new byte[NGUID_LENGTH]; copyNguid(b); return b; }
    /** Copies the 16 NGUID bytes into {@code dst} at index 0, without allocating. */
    public void copyNguid(byte[] dst) { getBytes(NGUID_OFFSET, dst, NGUID_LENGTH); }
    public IdentifyNamespaceFlyweight nguid(byte[] src) { return bytes(NGUID_OFFSET, NGUID_LENGTH, src); }
    /** A copy of the 8 EUI64 bytes. */
    public byte[] eui64() { byte[] b = new byte[EUI64_LENGTH]; copyEui64(b); return b; }
    /** Copies the 8 EUI64 bytes into {@code dst} at index 0, without allocating. */
    public void copyEui64(byte[] dst) { getBytes(EUI64_OFFSET, dst, EUI64_LENGTH); }
    public IdentifyNamespaceFlyweight eui64(byte[] src) { return bytes(EUI64_OFFSET, EUI64_LENGTH, src); }

    /** The number of LBA formats, NLBAF + 1. */
    public int lbafCount() { return nlbaf() + 1; }

    /** The raw dword of LBA format {@code index}; decode with {@link LbaFormat#fromDword(int)}. */
    public int lbaf(int index) { return u32(lbafOffset(index)); }
    public IdentifyNamespaceFlyweight lbaf(int index, int dword) {
        return u32(lbafOffset(index), dword);
    }

    /** The index of the format the namespace is formatted with: FLBAS bits 3:0, and bits 6:5 as bits 5:4. */
    public int formattedLbaIndex() {
        int flbas = flbas();
        return (flbas & 0x0F) | (flbas >>> 5 & 0x3) << 4;
    }

    /** The block size in bytes of the formatted LBA format; 0 if that format is not available. */
    public int blockSize() { return LbaFormat.blockSize(LbaFormat.lbads(lbaf(formattedLbaIndex()))); }

    /** Metadata bytes per block of the formatted LBA format. */
    public int metadataSize() { return LbaFormat.ms(lbaf(formattedLbaIndex())); }

    /** An immutable copy of the modelled fields, with the {@link #lbafCount()} LBA formats. */
    public IdentifyNamespace toRecord() {
        if (lbafCount() > LBAF_MAX) {
            throw new IllegalStateException("NLBAF " + nlbaf() + " exceeds " + (LBAF_MAX - 1));
        }
        List<LbaFormat> formats = new ArrayList<>(lbafCount());
        for (int i = 0; i < lbafCount(); i++) {
            formats.add(LbaFormat.fromDword(lbaf(i)));
        }
        return new IdentifyNamespace(nsze(), ncap(), nuse(), nsfeat(), flbas(), mc(), dpc(), dps(), nmic(), rescap(),
                fpi(), dlfeat(), nawun(), nawupf(), nacwu(), nabsn(), nabo(), nabspf(), noiob(),
                StructText.u128(nvmcapLow(), nvmcapHigh()), npwg(), npwa(), npdg(), npda(), nows(), anagrpid(),
                nsattr(), nvmsetid(), endgid(), nguid(), eui64(), formats);
    }

    /** Clears the structure and encodes {@code r}; NLBAF is the number of its formats less one. */
    public IdentifyNamespaceFlyweight write(IdentifyNamespace r) {
        clear();
        nsze(r.nsze()).ncap(r.ncap()).nuse(r.nuse()).nsfeat(r.nsfeat()).nlbaf(r.lbaFormats().size() - 1)
                .flbas(r.flbas()).mc(r.mc()).dpc(r.dpc()).dps(r.dps()).nmic(r.nmic()).rescap(r.rescap())
                .fpi(r.fpi()).dlfeat(r.dlfeat()).nawun(r.nawun()).nawupf(r.nawupf()).nacwu(r.nacwu())
                .nabsn(r.nabsn()).nabo(r.nabo()).nabspf(r.nabspf()).noiob(r.noiob())
                .nvmcap(r.nvmcap().longValue(), StructText.high64(r.nvmcap())).npwg(r.npwg()).npwa(r.npwa())
                .npdg(r.npdg()).npda(r.npda()).nows(r.nows()).anagrpid(r.anagrpid()).nsattr(r.nsattr())
                .nvmsetid(r.nvmsetid()).endgid(r.endgid()).nguid(r.nguid()).eui64(r.eui64());
        List<LbaFormat> formats = r.lbaFormats();
        for (int i = 0; i < formats.size(); i++) {
            lbaf(i, formats.get(i).toDword());
        }
        return this;
    }

    private static int lbafOffset(int index) {
        if (index < 0 || index >= LBAF_MAX) {
            throw new IndexOutOfBoundsException("LBA format " + index + " outside 0.." + (LBAF_MAX - 1));
        }
        return LBAF_OFFSET + index * LBAF_LENGTH;
    }

    private IdentifyNamespaceFlyweight bytes(int field, int length, byte[] src) {
        if (src.length != length) {
            throw new IllegalArgumentException("need " + length + " bytes, got " + src.length);
        }
        return putBytes(field, src);
    }
}
