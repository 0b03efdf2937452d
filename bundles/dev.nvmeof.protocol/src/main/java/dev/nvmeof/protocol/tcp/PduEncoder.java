package dev.nvmeof.protocol.tcp;

import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.DIGEST_LENGTH;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes NVMe/TCP PDUs into caller-supplied little-endian buffers, ready for a gathering write. Each method writes the
 * PDU's header part at the buffer's position (common header, PDU-specific header, header digest, padding up to PDO)
 * and advances the position; PLEN and the flags already account for the data and data digest that the caller sends
 * next, from its own buffer, followed by {@link #dataDigest}.
 *
 * <pre>
 *   [ header part: CH | PSH | HDGST | PAD ]  [ caller's data ]  [ DDGST ]     one gathering write
 * </pre>
 *
 * <p>One encoder per connection, confined to its sending thread; it allocates nothing.
 */
public final class PduEncoder {
    private final CRC32C crc = new CRC32C();
    private final IcReqPdu icReq = new IcReqPdu();
    private final IcRespPdu icResp = new IcRespPdu();
    private final TermReqPdu termReq = new TermReqPdu();
    private final CapsuleCmdPdu capsuleCmd = new CapsuleCmdPdu();
    private final CapsuleRespPdu capsuleResp = new CapsuleRespPdu();
    private final H2cDataPdu h2cData = new H2cDataPdu();
    private final C2hDataPdu c2hData = new C2hDataPdu();
    private final R2tPdu r2t = new R2tPdu();

    private boolean headerDigest;
    private boolean dataDigest;
    private int sendAlignment = DIGEST_LENGTH;

    /**
     * Applies what ICReq/ICResp negotiated.
     *
     * @param peerDataAlignment the PDA the peer asked for, in dwords, 0s based (CPDA when this side is the host,
     *                          HPDA when it is the controller): data PDUs are padded so PDO is a multiple of
     *                          {@code (pda + 1) * 4}
     */
    public void negotiated(boolean headerDigest, boolean dataDigest, int peerDataAlignment) {
        if (peerDataAlignment < 0 || peerDataAlignment > 31) {
            throw new IllegalArgumentException("PDA is 0..31, was " + peerDataAlignment);
        }
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
        this.sendAlignment = (peerDataAlignment + 1) * 4;
    }

    /** ICReq asking for these digests, HPDA and MAXR2T (0s based). */
    public int icReq(ByteBuffer dst, int hpda, boolean wantHeaderDigest, boolean wantDataDigest, int maxR2t) {
        int at = start(dst, IcReqPdu.LENGTH);
        icReq.wrap(dst, at).commonHeader(PduType.IC_REQ, PduFlags.NONE, 0, IcReqPdu.LENGTH);
        icReq.fields(0, hpda, dgst(wantHeaderDigest, wantDataDigest), maxR2t);
        return finish(dst, at, IcReqPdu.LENGTH);
    }

    /** ICResp granting these digests, CPDA and MAXH2CDATA. */
    public int icResp(ByteBuffer dst, int cpda, boolean grantHeaderDigest, boolean grantDataDigest, int maxH2cData) {
        int at = start(dst, IcRespPdu.LENGTH);
        icResp.wrap(dst, at).commonHeader(PduType.IC_RESP, PduFlags.NONE, 0, IcRespPdu.LENGTH);
        icResp.fields(0, cpda, dgst(grantHeaderDigest, grantDataDigest), maxH2cData);
        return finish(dst, at, IcRespPdu.LENGTH);
    }

    /**
     * H2CTermReq or C2HTermReq quoting up to 128 bytes of the PDU in error ({@code quoted} from its position to its
     * limit, left unchanged).
     */
    public int termReq(ByteBuffer dst, boolean hostToController, FatalErrorStatus fes, int fei, ByteBuffer quoted) {
        int quotedLength = quoted == null ? 0 : Math.min(quoted.remaining(), TermReqPdu.MAX_DATA_LENGTH);
        int length = TermReqPdu.HEADER_LENGTH + quotedLength;
        int at = start(dst, length);
        termReq.wrap(dst, at).commonHeader(hostToController ? PduType.H2C_TERM_REQ : PduType.C2H_TERM_REQ,
                PduFlags.NONE, 0, length);
        termReq.fields(fes.code(), fei);
        finish(dst, at, TermReqPdu.HEADER_LENGTH);
        if (quotedLength > 0) {
            dst.put(dst.position(), quoted, quoted.position(), quotedLength);
            dst.position(dst.position() + quotedLength);
        }
        return length;
    }

    /**
     * CapsuleCmd carrying the 64-byte SQE at {@code sqe[sqeIndex]}, followed by {@code inCapsuleLength} bytes of
     * in-capsule data that the caller sends next (0 for none).
     */
    public int capsuleCmd(ByteBuffer dst, ByteBuffer sqe, int sqeIndex, int inCapsuleLength) {
        int headerPart = headerPart(PduType.CAPSULE_CMD, inCapsuleLength);
        int at = start(dst, headerPart);
        capsuleCmd.wrap(dst, at).commonHeader(PduType.CAPSULE_CMD, flags(PduType.CAPSULE_CMD, inCapsuleLength),
                pdo(PduType.CAPSULE_CMD, inCapsuleLength), plen(PduType.CAPSULE_CMD, inCapsuleLength));
        dst.put(at + CapsuleCmdPdu.SQE_OFFSET, sqe, sqeIndex, CapsuleCmdPdu.SQE_LENGTH);
        return finish(dst, at, headerPart);
    }

    /** CapsuleResp carrying the 16-byte CQE at {@code cqe[cqeIndex]}. */
    public int capsuleResp(ByteBuffer dst, ByteBuffer cqe, int cqeIndex) {
        int headerPart = headerPart(PduType.CAPSULE_RESP, 0);
        int at = start(dst, headerPart);
        capsuleResp.wrap(dst, at).commonHeader(PduType.CAPSULE_RESP, flags(PduType.CAPSULE_RESP, 0), 0,
                plen(PduType.CAPSULE_RESP, 0));
        dst.put(at + CapsuleRespPdu.CQE_OFFSET, cqe, cqeIndex, CapsuleRespPdu.CQE_LENGTH);
        return finish(dst, at, headerPart);
    }

    /** H2CData for {@code datal} bytes at offset {@code datao} of the command's data; the caller sends them next. */
    public int h2cData(ByteBuffer dst, int cccid, int ttag, int datao, int datal, boolean last) {
        requireData(datal);
        int headerPart = headerPart(PduType.H2C_DATA, datal);
        int at = start(dst, headerPart);
        h2cData.wrap(dst, at).commonHeader(PduType.H2C_DATA,
                flags(PduType.H2C_DATA, datal) | (last ? PduFlags.LAST_PDU : 0),
                pdo(PduType.H2C_DATA, datal), plen(PduType.H2C_DATA, datal));
        h2cData.fields(cccid, ttag, datao, datal);
        return finish(dst, at, headerPart);
    }

    /**
     * C2HData for {@code datal} bytes at offset {@code datao}; {@code success} (which implies LAST_PDU) completes the
     * command without a CapsuleResp and is only allowed when the host disabled SQ flow control.
     */
    public int c2hData(ByteBuffer dst, int cccid, int datao, int datal, boolean last, boolean success) {
        requireData(datal);
        int headerPart = headerPart(PduType.C2H_DATA, datal);
        int at = start(dst, headerPart);
        int flags = flags(PduType.C2H_DATA, datal) | (last || success ? PduFlags.LAST_PDU : 0)
                | (success ? PduFlags.SUCCESS : 0);
        c2hData.wrap(dst, at).commonHeader(PduType.C2H_DATA, flags, pdo(PduType.C2H_DATA, datal),
                plen(PduType.C2H_DATA, datal));
        c2hData.fields(cccid, datao, datal);
        return finish(dst, at, headerPart);
    }

    /** R2T asking for {@code r2tl} bytes at offset {@code r2to} of the command's data. */
    public int r2t(ByteBuffer dst, int cccid, int ttag, int r2to, int r2tl) {
        requireData(r2tl);
        int headerPart = headerPart(PduType.R2T, 0);
        int at = start(dst, headerPart);
        r2t.wrap(dst, at).commonHeader(PduType.R2T, flags(PduType.R2T, 0), 0, plen(PduType.R2T, 0));
        r2t.fields(cccid, ttag, r2to, r2tl);
        return finish(dst, at, headerPart);
    }

    /**
     * The data digest of {@code data} (position to limit, left unchanged), written at {@code dst}'s position when
     * data digests are on; nothing otherwise.
     *
     * @return bytes written: 4 or 0
     */
    public int dataDigest(ByteBuffer dst, ByteBuffer data) {
        if (!dataDigest) {
            return 0;
        }
        dst.putInt(dst.position(), crc32c(data));
        dst.position(dst.position() + DIGEST_LENGTH);
        return DIGEST_LENGTH;
    }

    /** Length of the header part (CH, PSH, header digest, padding) for a PDU of this type and data length. */
    public int headerPart(PduType type, int dataLength) {
        return dataLength == 0 ? headerWithDigest(type) : pdo(type, dataLength);
    }

    /** PLEN of a PDU of this type with {@code dataLength} bytes of data. */
    public int plen(PduType type, int dataLength) {
        if (dataLength == 0) {
            return headerWithDigest(type);
        }
        return pdo(type, dataLength) + dataLength + (dataDigest ? DIGEST_LENGTH : 0);
    }

    /** CRC32C of {@code data} from position to limit; the buffer's position and limit are left as they were. */
    public int crc32c(ByteBuffer data) {
        int position = data.position();
        crc.reset();
        crc.update(data);
        data.position(position);
        return (int) crc.getValue();
    }

    private int headerWithDigest(PduType type) {
        return type.headerLength() + (headerDigest && type.carriesHeaderDigest() ? DIGEST_LENGTH : 0);
    }

    private int pdo(PduType type, int dataLength) {
        if (dataLength == 0) {
            return 0;
        }
        int unpadded = headerWithDigest(type);
        return (unpadded + sendAlignment - 1) / sendAlignment * sendAlignment;
    }

    private int flags(PduType type, int dataLength) {
        return (headerDigest && type.carriesHeaderDigest() ? PduFlags.HDGSTF : 0)
                | (dataDigest && type.carriesDataDigest() && dataLength > 0 ? PduFlags.DDGSTF : 0);
    }

    private static int dgst(boolean header, boolean data) {
        return (header ? IcReqPdu.HDGST_ENABLE : 0) | (data ? IcReqPdu.DDGST_ENABLE : 0);
    }

    private static void requireData(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a data transfer needs a positive length, was " + length);
        }
    }

    private static int start(ByteBuffer dst, int length) {
        if (dst.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("NVMe/TCP PDUs are little-endian; set the buffer's order");
        }
        if (dst.remaining() < length) {
            throw new IllegalArgumentException("need " + length + " bytes, buffer has " + dst.remaining());
        }
        return dst.position();
    }

    /** Zeroes reserved bytes and padding the flyweights did not write, adds the header digest, advances. */
    private int finish(ByteBuffer dst, int at, int length) {
        int type = dst.get(at) & 0xff;
        PduType pduType = PduType.of(type);
        int hlen = pduType.headerLength();
        boolean digest = (dst.get(at + PduHeaderFlyweight.FLAGS_OFFSET) & PduFlags.HDGSTF) != 0;
        int written = writtenBy(pduType);
        for (int i = at + written; i < at + hlen; i++) {
            dst.put(i, (byte) 0);
        }
        int afterHeader = hlen;
        if (digest) {
            int limit = dst.limit();
            dst.limit(at + hlen).position(at);
            crc.reset();
            crc.update(dst);
            dst.limit(limit);
            dst.putInt(at + hlen, (int) crc.getValue());
            afterHeader += DIGEST_LENGTH;
        }
        for (int i = at + afterHeader; i < at + length; i++) {
            dst.put(i, (byte) 0);
        }
        dst.position(at + length);
        return length;
    }

    /** How much of the header the flyweight writes itself; the rest up to HLEN is reserved. */
    private static int writtenBy(PduType type) {
        switch (type) {
            case IC_REQ:
            case IC_RESP:
                return 16;
            case H2C_TERM_REQ:
            case C2H_TERM_REQ:
                return 14;
            case CAPSULE_CMD:
                return CapsuleCmdPdu.HEADER_LENGTH;
            case CAPSULE_RESP:
                return CapsuleRespPdu.HEADER_LENGTH;
            default:
                return 24;
        }
    }
}
