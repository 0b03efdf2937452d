package dev.nvmeof.protocol;

/**
 * The Identify Controller data (CNS 01h, NVM Express Base 2.0 section 5.17.2.1, NVMe over Fabrics 1.1 section 4.1) as
 * an immutable control-plane value: what the host keeps after Identify and what the target encodes from. The byte
 * layout is in {@link IdentifyControllerFlyweight}; read one with {@link IdentifyControllerFlyweight#toRecord()},
 * encode one with {@link IdentifyControllerFlyweight#write(IdentifyController)}.
 *
 * <p>8 and 16-bit fields are unsigned {@code int}s and are range-checked; 32-bit fields hold the raw bits.
 *
 * @param vid VID: PCI vendor ID
 * @param ssvid SSVID: PCI subsystem vendor ID
 * @param sn SN: serial number, at most 20 ASCII characters
 * @param mn MN: model number, at most 40 ASCII characters
 * @param fr FR: firmware revision, at most 8 ASCII characters
 * @param rab RAB: recommended arbitration burst
 * @param ieee IEEE: IEEE OUI (24 bits)
 * @param cmic CMIC: multi-path I/O and namespace sharing capabilities
 * @param mdts MDTS: maximum data transfer size, a power of two of the minimum memory page size, 0 = no limit
 * @param cntlid CNTLID: controller ID
 * @param ver VER: version
 * @param rtd3r RTD3R: RTD3 resume latency
 * @param rtd3e RTD3E: RTD3 entry latency
 * @param oaes OAES: optional asynchronous events supported
 * @param ctratt CTRATT: controller attributes
 * @param cntrltype CNTRLTYPE: controller type
 * @param oacs OACS: optional admin command support
 * @param acl ACL: abort command limit, 0's based
 * @param aerl AERL: asynchronous event request limit, 0's based
 * @param frmw FRMW: firmware updates
 * @param lpa LPA: log page attributes
 * @param elpe ELPE: error log page entries, 0's based
 * @param npss NPSS: number of power states, 0's based
 * @param kas KAS: keep alive support, 100 ms units
 * @param sqes SQES: submission queue entry size
 * @param cqes CQES: completion queue entry size
 * @param maxcmd MAXCMD: maximum outstanding commands
 * @param nn NN: number of namespaces
 * @param oncs ONCS: optional NVM command support
 * @param fuses FUSES: fused operation support
 * @param fna FNA: format NVM attributes
 * @param vwc VWC: volatile write cache
 * @param awun AWUN: atomic write unit normal
 * @param awupf AWUPF: atomic write unit power fail
 * @param nvscc NVSCC: NVM vendor specific command configuration
 * @param acwu ACWU: atomic compare and write unit
 * @param sgls SGLS: SGL support
 * @param mnan MNAN: maximum number of allowed namespaces
 * @param subnqn SUBNQN: NVM subsystem NQN, at most 255 UTF-8 bytes
 * @param ioccsz IOCCSZ: I/O queue command capsule size, 16-byte units
 * @param iorcsz IORCSZ: I/O queue response capsule size, 16-byte units
 * @param icdoff ICDOFF: in capsule data offset, 16-byte units
 * @param fcatt FCATT: fabrics controller attributes
 * @param msdbd MSDBD: maximum SGL data block descriptors
 * @param ofcs OFCS: optional fabric commands support
 */
public record IdentifyController(
        int vid,
        int ssvid,
        String sn,
        String mn,
        String fr,
        int rab,
        int ieee,
        int cmic,
        int mdts,
        int cntlid,
        int ver,
        int rtd3r,
        int rtd3e,
        int oaes,
        int ctratt,
        int cntrltype,
        int oacs,
        int acl,
        int aerl,
        int frmw,
        int lpa,
        int elpe,
        int npss,
        int kas,
        int sqes,
        int cqes,
        int maxcmd,
        int nn,
        int oncs,
        int fuses,
        int fna,
        int vwc,
        int awun,
        int awupf,
        int nvscc,
        int acwu,
        int sgls,
        int mnan,
        String subnqn,
        int ioccsz,
        int iorcsz,
        int icdoff,
        int fcatt,
        int msdbd,
        int ofcs) {

    public IdentifyController {
        StructText.checkUnsigned("vid", vid, 16);
        StructText.checkUnsigned("ssvid", ssvid, 16);
        StructText.checkAscii(sn, 20);
        StructText.checkAscii(mn, 40);
        StructText.checkAscii(fr, 8);
        StructText.checkUnsigned("rab", rab, 8);
        StructText.checkUnsigned("ieee", ieee, 24);
        StructText.checkUnsigned("cmic", cmic, 8);
        StructText.checkUnsigned("mdts", mdts, 8);
        StructText.checkUnsigned("cntlid", cntlid, 16);
        StructText.checkUnsigned("cntrltype", cntrltype, 8);
        StructText.checkUnsigned("oacs", oacs, 16);
        StructText.checkUnsigned("acl", acl, 8);
        StructText.checkUnsigned("aerl", aerl, 8);
        StructText.checkUnsigned("frmw", frmw, 8);
        StructText.checkUnsigned("lpa", lpa, 8);
        StructText.checkUnsigned("elpe", elpe, 8);
        StructText.checkUnsigned("npss", npss, 8);
        StructText.checkUnsigned("kas", kas, 16);
        StructText.checkUnsigned("sqes", sqes, 8);
        StructText.checkUnsigned("cqes", cqes, 8);
        StructText.checkUnsigned("maxcmd", maxcmd, 16);
        StructText.checkUnsigned("oncs", oncs, 16);
        StructText.checkUnsigned("fuses", fuses, 16);
        StructText.checkUnsigned("fna", fna, 8);
        StructText.checkUnsigned("vwc", vwc, 8);
        StructText.checkUnsigned("awun", awun, 16);
        StructText.checkUnsigned("awupf", awupf, 16);
        StructText.checkUnsigned("nvscc", nvscc, 8);
        StructText.checkUnsigned("acwu", acwu, 16);
        StructText.checkUtf8(subnqn, IdentifyControllerFlyweight.SUBNQN_LENGTH);
        StructText.checkUnsigned("icdoff", icdoff, 16);
        StructText.checkUnsigned("fcatt", fcatt, 8);
        StructText.checkUnsigned("msdbd", msdbd, 8);
        StructText.checkUnsigned("ofcs", ofcs, 16);
    }

    /** A builder with every field zero or empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this record's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vid = vid;
        b.ssvid = ssvid;
        b.sn = sn;
        b.mn = mn;
        b.fr = fr;
        b.rab = rab;
        b.ieee = ieee;
        b.cmic = cmic;
        b.mdts = mdts;
        b.cntlid = cntlid;
        b.ver = ver;
        b.rtd3r = rtd3r;
        b.rtd3e = rtd3e;
        b.oaes = oaes;
        b.ctratt = ctratt;
        b.cntrltype = cntrltype;
        b.oacs = oacs;
        b.acl = acl;
        b.aerl = aerl;
        b.frmw = frmw;
        b.lpa = lpa;
        b.elpe = elpe;
        b.npss = npss;
        b.kas = kas;
        b.sqes = sqes;
        b.cqes = cqes;
        b.maxcmd = maxcmd;
        b.nn = nn;
        b.oncs = oncs;
        b.fuses = fuses;
        b.fna = fna;
        b.vwc = vwc;
        b.awun = awun;
        b.awupf = awupf;
        b.nvscc = nvscc;
        b.acwu = acwu;
        b.sgls = sgls;
        b.mnan = mnan;
        b.subnqn = subnqn;
        b.ioccsz = ioccsz;
        b.iorcsz = iorcsz;
        b.icdoff = icdoff;
        b.fcatt = fcatt;
        b.msdbd = msdbd;
        b.ofcs = ofcs;
        return b;
    }

    /** Builds an {@link IdentifyController} field by field; names and units as in the record. */
    public static final class Builder {
        private int vid;
        private int ssvid;
        private String sn = "";
        private String mn = "";
        private String fr = "";
        private int rab;
        private int ieee;
        private int cmic;
        private int mdts;
        private int cntlid;
        private int ver;
        private int rtd3r;
        private int rtd3e;
        private int oaes;
        private int ctratt;
        private int cntrltype;
        private int oacs;
        private int acl;
        private int aerl;
        private int frmw;
        private int lpa;
        private int elpe;
        private int npss;
        private int kas;
        private int sqes;
        private int cqes;
        private int maxcmd;
        private int nn;
        private int oncs;
        private int fuses;
        private int fna;
        private int vwc;
        private int awun;
        private int awupf;
        private int nvscc;
        private int acwu;
        private int sgls;
        private int mnan;
        private String subnqn = "";
        private int ioccsz;
        private int iorcsz;
        private int icdoff;
        private int fcatt;
        private int msdbd;
        private int ofcs;

        private Builder() {
        }

        public Builder vid(int v) { vid = v; return this; }
        public Builder ssvid(int v) { ssvid = v; return this; }
        public Builder sn(String v) { sn = v; return this; }
        public Builder mn(String v) { mn = v; return this; }
        public Builder fr(String v) { fr = v; return this; }
        public Builder rab(int v) { rab = v; return this; }
        public Builder ieee(int v) { ieee = v; return this; }
        public Builder cmic(int v) { cmic = v; return this; }
        public Builder mdts(int v) { mdts = v; return this; }
        public Builder cntlid(int v) { cntlid = v; return this; }
        public Builder ver(int v) { ver = v; return this; }
        public Builder rtd3r(int v) { rtd3r = v; return this; }
        public Builder rtd3e(int v) { rtd3e = v; return this; }
        public Builder oaes(int v) { oaes = v; return this; }
        public Builder ctratt(int v) { ctratt = v; return this; }
        public Builder cntrltype(int v) { cntrltype = v; return this; }
        public Builder oacs(int v) { oacs = v; return this; }
        public Builder acl(int v) { acl = v; return this; }
        public Builder aerl(int v) { aerl = v; return this; }
        public Builder frmw(int v) { frmw = v; return this; }
        public Builder lpa(int v) { lpa = v; return this; }
        public Builder elpe(int v) { elpe = v; return this; }
        public Builder npss(int v) { npss = v; return this; }
        public Builder kas(int v) { kas = v; return this; }
        public Builder sqes(int v) { sqes = v; return this; }
        public Builder cqes(int v) { cqes = v; return this; }
        public Builder maxcmd(int v) { maxcmd = v; return this; }
        public Builder nn(int v) { nn = v; return this; }
        public Builder oncs(int v) { oncs = v; return this; }
        public Builder fuses(int v) { fuses = v; return this; }
        public Builder fna(int v) { fna = v; return this; }
        public Builder vwc(int v) { vwc = v; return this; }
        public Builder awun(int v) { awun = v; return this; }
        public Builder awupf(int v) { awupf = v; return this; }
        public Builder nvscc(int v) { nvscc = v; return this; }
        public Builder acwu(int v) { acwu = v; return this; }
        public Builder sgls(int v) { sgls = v; return this; }
        public Builder mnan(int v) { mnan = v; return this; }
        public Builder subnqn(String v) { subnqn = v; return this; }
        public Builder ioccsz(int v) { ioccsz = v; return this; }
        public Builder iorcsz(int v) { iorcsz = v; return this; }
        public Builder icdoff(int v) { icdoff = v; return this; }
        public Builder fcatt(int v) { fcatt = v; return this; }
        public Builder msdbd(int v) { msdbd = v; return this; }
        public Builder ofcs(int v) { ofcs = v; return this; }

        public IdentifyController build() {
            return new IdentifyController(vid, ssvid, sn, mn, fr, rab, ieee, cmic, mdts, cntlid,
                    ver, rtd3r, rtd3e, oaes, ctratt, cntrltype, oacs, acl, aerl, frmw,
                    lpa, elpe, npss, kas, sqes, cqes, maxcmd, nn, oncs, fuses,
                    fna, vwc, awun, awupf, nvscc, acwu, sgls, mnan, subnqn, ioccsz,
                    iorcsz, icdoff, fcatt, msdbd, ofcs);
        }
    }
}
