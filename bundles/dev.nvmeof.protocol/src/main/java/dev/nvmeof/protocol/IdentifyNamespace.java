package dev.nvmeof.protocol;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The Identify Namespace data of the NVM command set (CNS 00h, NVM Command Set Specification 1.0 section 4.1.5.1) as
 * an immutable control-plane value. The byte layout is in {@link IdentifyNamespaceFlyweight}; read one with
 * {@link IdentifyNamespaceFlyweight#toRecord()}, encode one with
 * {@link IdentifyNamespaceFlyweight#write(IdentifyNamespace)}. NLBAF is not a component: it is
 * {@code lbaFormats().size() - 1}.
 *
 * <p>8 and 16-bit fields are unsigned {@code int}s and are range-checked; 32 and 64-bit fields hold the raw bits.
 * The identifier arrays are copied in and out.
 *
 * @param nsze NSZE: namespace size in LBAs
 * @param ncap NCAP: namespace capacity in LBAs
 * @param nuse NUSE: namespace utilization in LBAs
 * @param nsfeat NSFEAT: namespace features
 * @param flbas FLBAS: formatted LBA size (format index and extended-metadata bit)
 * @param mc MC: metadata capabilities
 * @param dpc DPC: end-to-end data protection capabilities
 * @param dps DPS: end-to-end data protection type settings
 * @param nmic NMIC: multi-path I/O and namespace sharing capabilities
 * @param rescap RESCAP: reservation capabilities
 * @param fpi FPI: format progress indicator
 * @param dlfeat DLFEAT: deallocate logical block features
 * @param nawun NAWUN: namespace atomic write unit normal
 * @param nawupf NAWUPF: namespace atomic write unit power fail
 * @param nacwu NACWU: namespace atomic compare and write unit
 * @param nabsn NABSN: namespace atomic boundary size normal
 * @param nabo NABO: namespace atomic boundary offset
 * @param nabspf NABSPF: namespace atomic boundary size power fail
 * @param noiob NOIOB: namespace optimal I/O boundary
 * @param nvmcap NVMCAP: NVM capacity in bytes
 * @param npwg NPWG: preferred write granularity
 * @param npwa NPWA: preferred write alignment
 * @param npdg NPDG: preferred deallocate granularity
 * @param npda NPDA: preferred deallocate alignment
 * @param nows NOWS: optimal write size
 * @param anagrpid ANAGRPID: ANA group identifier
 * @param nsattr NSATTR: namespace attributes
 * @param nvmsetid NVMSETID: NVM set identifier
 * @param endgid ENDGID: endurance group identifier
 * @param nguid NGUID: namespace globally unique identifier, 16 bytes
 * @param eui64 EUI64: IEEE extended unique identifier, 8 bytes
 * @param lbaFormats LBAF0..: the LBA formats, 1 to 64 of them (NLBAF + 1)
 */
public record IdentifyNamespace(
        long nsze,
        long ncap,
        long nuse,
        int nsfeat,
        int flbas,
        int mc,
        int dpc,
        int dps,
        int nmic,
        int rescap,
        int fpi,
        int dlfeat,
        int nawun,
        int nawupf,
        int nacwu,
        int nabsn,
        int nabo,
        int nabspf,
        int noiob,
        BigInteger nvmcap,
        int npwg,
        int npwa,
        int npdg,
        int npda,
        int nows,
        int anagrpid,
        int nsattr,
        int nvmsetid,
        int endgid,
        byte[] nguid,
        byte[] eui64,
        List<LbaFormat> lbaFormats) {

    public IdentifyNamespace {
        StructText.checkUnsigned("nsfeat", nsfeat, 8);
        StructText.checkUnsigned("flbas", flbas, 8);
        StructText.checkUnsigned("mc", mc, 8);
        StructText.checkUnsigned("dpc", dpc, 8);
        StructText.checkUnsigned("dps", dps, 8);
        StructText.checkUnsigned("nmic", nmic, 8);
        StructText.checkUnsigned("rescap", rescap, 8);
        StructText.checkUnsigned("fpi", fpi, 8);
        StructText.checkUnsigned("dlfeat", dlfeat, 8);
        StructText.checkUnsigned("nawun", nawun, 16);
        StructText.checkUnsigned("nawupf", nawupf, 16);
        StructText.checkUnsigned("nacwu", nacwu, 16);
        StructText.checkUnsigned("nabsn", nabsn, 16);
        StructText.checkUnsigned("nabo", nabo, 16);
        StructText.checkUnsigned("nabspf", nabspf, 16);
        StructText.checkUnsigned("noiob", noiob, 16);
        StructText.checkU128("nvmcap", nvmcap);
        StructText.checkUnsigned("npwg", npwg, 16);
        StructText.checkUnsigned("npwa", npwa, 16);
        StructText.checkUnsigned("npdg", npdg, 16);
        StructText.checkUnsigned("npda", npda, 16);
        StructText.checkUnsigned("nows", nows, 16);
        StructText.checkUnsigned("nsattr", nsattr, 8);
        StructText.checkUnsigned("nvmsetid", nvmsetid, 16);
        StructText.checkUnsigned("endgid", endgid, 16);
        nguid = StructText.copyExact("nguid", nguid, 16);
        eui64 = StructText.copyExact("eui64", eui64, 8);
        lbaFormats = List.copyOf(lbaFormats);
        if (lbaFormats.isEmpty() || lbaFormats.size() > IdentifyNamespaceFlyweight.LBAF_MAX) {
            throw new IllegalArgumentException("1 to 64 LBA formats, got " + lbaFormats.size());
        }
    }

    /** The formatted LBA format: FLBAS bits 3:0, with bits 6:5 as the high bits of the index. */
    public LbaFormat formattedLbaFormat() {
        return lbaFormats.get((flbas & 0x0F) | (flbas >>> 5 & 0x3) << 4);
    }

    /** The block size in bytes of the formatted LBA format. */
    public int blockSize() {
        return formattedLbaFormat().blockSize();
    }

    @Override
    public byte[] nguid() {
        return nguid.clone();
    }

    @Override
    public byte[] eui64() {
        return eui64.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentifyNamespace o
                && nsze == o.nsze
                && ncap == o.ncap
                && nuse == o.nuse
                && nsfeat == o.nsfeat
                && flbas == o.flbas
                && mc == o.mc
                && dpc == o.dpc
                && dps == o.dps
                && nmic == o.nmic
                && rescap == o.rescap
                && fpi == o.fpi
                && dlfeat == o.dlfeat
                && nawun == o.nawun
                && nawupf == o.nawupf
                && nacwu == o.nacwu
                && nabsn == o.nabsn
                && nabo == o.nabo
                && nabspf == o.nabspf
                && noiob == o.noiob
                && nvmcap.equals(o.nvmcap)
                && npwg == o.npwg
                && npwa == o.npwa
                && npdg == o.npdg
                && npda == o.npda
                && nows == o.nows
                && anagrpid == o.anagrpid
                && nsattr == o.nsattr
                && nvmsetid == o.nvmsetid
                && endgid == o.endgid
                && Arrays.equals(nguid, o.nguid)
                && Arrays.equals(eui64, o.eui64)
                && lbaFormats.equals(o.lbaFormats);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hash(nsze, ncap, nuse, nsfeat, flbas, mc, dpc, dps, nmic, rescap, fpi, dlfeat, nawun, nawupf, nacwu, nabsn, nabo, nabspf, noiob, nvmcap, npwg, npwa, npdg, npda, nows, anagrpid, nsattr, nvmsetid, endgid, lbaFormats) + Arrays.hashCode(nguid)) + Arrays.hashCode(eui64);
    }

    @Override
    public String toString() {
        return "IdentifyNamespace[nsze=" + nsze + ", ncap=" + ncap + ", nuse=" + nuse + ", flbas=" + flbas
                + ", nguid=" + HexFormat.of().formatHex(nguid) + ", eui64=" + HexFormat.of().formatHex(eui64)
                + ", lbaFormats=" + lbaFormats + ", ...]";
    }

    /** A builder with every field zero and one LBA format of 512-byte blocks. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this record's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.nsze = nsze;
        b.ncap = ncap;
        b.nuse = nuse;
        b.nsfeat = nsfeat;
        b.flbas = flbas;
        b.mc = mc;
        b.dpc = dpc;
        b.dps = dps;
        b.nmic = nmic;
        b.rescap = rescap;
        b.fpi = fpi;
        b.dlfeat = dlfeat;
        b.nawun = nawun;
        b.nawupf = nawupf;
        b.nacwu = nacwu;
        b.nabsn = nabsn;
        b.nabo = nabo;
        b.nabspf = nabspf;
        b.noiob = noiob;
        b.nvmcap = nvmcap;
        b.npwg = npwg;
        b.npwa = npwa;
        b.npdg = npdg;
        b.npda = npda;
        b.nows = nows;
        b.anagrpid = anagrpid;
        b.nsattr = nsattr;
        b.nvmsetid = nvmsetid;
        b.endgid = endgid;
        b.nguid = nguid;
        b.eui64 = eui64;
        b.lbaFormats = lbaFormats;
        return b;
    }

    /** Builds an {@link IdentifyNamespace} field by field; names and units as in the record. */
    public static final class Builder {
        private long nsze;
        private long ncap;
        private long nuse;
        private int nsfeat;
        private int flbas;
        private int mc;
        private int dpc;
        private int dps;
        private int nmic;
        private int rescap;
        private int fpi;
        private int dlfeat;
        private int nawun;
        private int nawupf;
        private int nacwu;
        private int nabsn;
        private int nabo;
        private int nabspf;
        private int noiob;
        private BigInteger nvmcap = BigInteger.ZERO;
        private int npwg;
        private int npwa;
        private int npdg;
        private int npda;
        private int nows;
        private int anagrpid;
        private int nsattr;
        private int nvmsetid;
        private int endgid;
        private byte[] nguid = new byte[16];
        private byte[] eui64 = new byte[8];
        private List<LbaFormat> lbaFormats = List.of(LbaFormat.ofBlockSize(512));

        private Builder() {
        }

        public Builder nsze(long v) { nsze = v; return this; }
        public Builder ncap(long v) { ncap = v; return this; }
        public Builder nuse(long v) { nuse = v; return this; }
        public Builder nsfeat(int v) { nsfeat = v; return this; }
        public Builder flbas(int v) { flbas = v; return this; }
        public Builder mc(int v) { mc = v; return this; }
        public Builder dpc(int v) { dpc = v; return this; }
        public Builder dps(int v) { dps = v; return this; }
        public Builder nmic(int v) { nmic = v; return this; }
        public Builder rescap(int v) { rescap = v; return this; }
        public Builder fpi(int v) { fpi = v; return this; }
        public Builder dlfeat(int v) { dlfeat = v; return this; }
        public Builder nawun(int v) { nawun = v; return this; }
        public Builder nawupf(int v) { nawupf = v; return this; }
        public Builder nacwu(int v) { nacwu = v; return this; }
        public Builder nabsn(int v) { nabsn = v; return this; }
        public Builder nabo(int v) { nabo = v; return this; }
        public Builder nabspf(int v) { nabspf = v; return this; }
        public Builder noiob(int v) { noiob = v; return this; }
        public Builder nvmcap(BigInteger v) { nvmcap = v; return this; }
        public Builder npwg(int v) { npwg = v; return this; }
        public Builder npwa(int v) { npwa = v; return this; }
        public Builder npdg(int v) { npdg = v; return this; }
        public Builder npda(int v) { npda = v; return this; }
        public Builder nows(int v) { nows = v; return this; }
        public Builder anagrpid(int v) { anagrpid = v; return this; }
        public Builder nsattr(int v) { nsattr = v; return this; }
        public Builder nvmsetid(int v) { nvmsetid = v; return this; }
        public Builder endgid(int v) { endgid = v; return this; }
        public Builder nguid(byte[] v) { nguid = v; return this; }
        public Builder eui64(byte[] v) { eui64 = v; return this; }
        public Builder lbaFormats(List<LbaFormat> v) { lbaFormats = v; return this; }

        public IdentifyNamespace build() {
            return new IdentifyNamespace(nsze, ncap, nuse, nsfeat, flbas, mc, dpc, dps, nmic, rescap,
                    fpi, dlfeat, nawun, nawupf, nacwu, nabsn, nabo, nabspf, noiob, nvmcap,
                    npwg, npwa, npdg, npda, nows, anagrpid, nsattr, nvmsetid, endgid, nguid,
                    eui64, lbaFormats);
        }
    }
}
