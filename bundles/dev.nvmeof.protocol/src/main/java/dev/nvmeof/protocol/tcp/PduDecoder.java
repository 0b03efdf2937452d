package dev.nvmeof.protocol.tcp;

import static dev.nvmeof.protocol.tcp.FatalErrorStatus.DATA_TRANSFER_LIMIT_EXCEEDED;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.DATA_TRANSFER_OUT_OF_RANGE;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.HEADER_DIGEST_ERROR;
import static dev.nvmeof.protocol.tcp.FatalErrorStatus.PDU_SEQUENCE_ERROR;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.COMMON_HEADER_LENGTH;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.DIGEST_LENGTH;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.FLAGS_OFFSET;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.HLEN_OFFSET;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.PDO_OFFSET;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.PLEN_OFFSET;
import static dev.nvmeof.protocol.tcp.PduHeaderFlyweight.TYPE_OFFSET;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Incremental NVMe/TCP PDU decoder for one connection, host or controller side. Bytes may arrive in any split.
 * Control PDUs are delivered whole; for PDUs with command data the header is delivered first, the handler names the
 * destination buffer (looked up by CID or TTAG), and the payload is copied once, straight into it.
 *
 * <p>Every header is checked before anything in it is trusted, field by field in header order (type, flags, HLEN,
 * PDO, PLEN), so the first field in error is the one reported: unknown type or one of the wrong direction, flags not
 * valid for the type, digest flags that disagree with what was negotiated, a wrong HLEN, a PDO out of range or not
 * aligned to the negotiated PDA, a PLEN that does not fit the type, data beyond the queue's limits, a bad header
 * digest, and IC PDUs out of sequence. Such input throws {@link FatalPduException} naming the FES and FEI for the
 * TermReq; the decoder then discards all further input. A data digest mismatch is not fatal: it is reported with the
 * PDU's end callback.
 *
 * <p>It retains at most {@link #MAX_RETAINED_BYTES} (see {@link #retainedBytes()}), allocates nothing after
 * construction and is confined to one thread (the connection's owner).
 */
public final class PduDecoder {
    /** The largest PDU kept whole: a TermReq quoting 128 bytes; every other header plus its digests is smaller. */
    public static final int MAX_RETAINED_BYTES = TermReqPdu.MAX_LENGTH;
    /** In-capsule data limit on an admin queue (Linux NVME_TCP_ADMIN_CCSZ). */
    public static final int ADMIN_IN_CAPSULE_DATA = 8192;

    /** Where the decoder is within the current PDU. */
    public enum State { AWAIT_CH, AWAIT_PSH, AWAIT_PAD, AWAIT_DATA, AWAIT_DDGST, TERMINATED, ERROR }

    private final HostPduHandler host;
    private final ControllerPduHandler controller;
    private final ByteBuffer header = ByteBuffer.allocate(MAX_RETAINED_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    private final IcReqPdu icReq = new IcReqPdu().wrap(header, 0);
    private final IcRespPdu icResp = new IcRespPdu().wrap(header, 0);
    private final TermReqPdu termReq = new TermReqPdu().wrap(header, 0);
    private final CapsuleCmdPdu capsuleCmd = new CapsuleCmdPdu().wrap(header, 0);
    private final CapsuleRespPdu capsuleResp = new CapsuleRespPdu().wrap(header, 0);
    private final H2cDataPdu h2cData = new H2cDataPdu().wrap(header, 0);
    private final C2hDataPdu c2hData = new C2hDataPdu().wrap(header, 0);
    private final R2tPdu r2t = new R2tPdu().wrap(header, 0);

    // What the connection negotiated (ICReq/ICResp); before that, no digests and no padding.
    private boolean initialized;
    private boolean headerDigest;
    private boolean dataDigest;
    private int dataAlignment = DIGEST_LENGTH;
    private int maxInCapsuleData = ADMIN_IN_CAPSULE_DATA;
    private int maxH2cData = Integer.MAX_VALUE;

    // The PDU being decoded.
    private State state = State.AWAIT_CH;
    private PduType type;
    private int filled;
    private int headerTarget;
    private int pduDataLength;
    private int padRemaining;
    private int dataRemaining;
    private int dataIndex;
    private ByteBuffer destination;
    private boolean expectDataDigest;
    private int lastDataLength;
    private int digestFilled;
    private int receivedDigest;

    private PduDecoder(HostPduHandler host, ControllerPduHandler controller) {
        this.host = host;
        this.controller = controller;
    }

    /** A decoder for the host side: it accepts the PDUs a controller sends. */
    public static PduDecoder forHost(HostPduHandler handler) {
        return new PduDecoder(handler, null);
    }

    /** A decoder for the controller side: it accepts the PDUs a host sends. */
    public static PduDecoder forController(ControllerPduHandler handler) {
        return new PduDecoder(null, handler);
    }

    /**
     * Applies what ICReq/ICResp negotiated; called from the IC callback, it governs every later PDU.
     *
     * @param receiveDataAlignment the PDA this side asked for in dwords, 0s based (HPDA for a host, CPDA for a
     *                             controller): PDO of received data PDUs must be a multiple of {@code (pda + 1) * 4}
     */
    public void negotiated(boolean headerDigest, boolean dataDigest, int receiveDataAlignment) {
        if (receiveDataAlignment < 0 || receiveDataAlignment > 31) {
            throw new IllegalArgumentException("PDA is 0..31, was " + receiveDataAlignment);
        }
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
        this.dataAlignment = (receiveDataAlignment + 1) * 4;
    }

    /**
     * Controller side: the most in-capsule data a command may carry on this queue ({@link #ADMIN_IN_CAPSULE_DATA} on
     * the admin queue, {@code IOCCSZ * 16 - 64} on I/O queues) and the MAXH2CDATA advertised in the ICResp.
     */
    public void limits(int maxInCapsuleData, int maxH2cData) {
        if (maxInCapsuleData < 0 || maxH2cData < IcRespPdu.MIN_MAXH2CDATA) {
            throw new IllegalArgumentException("limits " + maxInCapsuleData + "/" + maxH2cData);
        }
        this.maxInCapsuleData = maxInCapsuleData;
        this.maxH2cData = maxH2cData;
    }

    /** The in-capsule data limit for a queue: 8 KiB on the admin queue, {@code IOCCSZ * 16 - 64} on I/O queues. */
    public static int inCapsuleDataLimit(int qid, int ioccsz) {
        return qid == 0 ? ADMIN_IN_CAPSULE_DATA : Math.max(0, ioccsz * 16 - 64);
    }

    public State state() {
        return state;
    }

    /** Bytes held between calls: the current header (and partial digest); never above {@link #MAX_RETAINED_BYTES}. */
    public int retainedBytes() {
        return filled + digestFilled;
    }

    /**
     * Consumes all of {@code src} (position to limit), delivering every PDU completed on the way.
     *
     * @return the number of PDUs completed in this call
     * @throws FatalPduException on input that ends the connection; the decoder discards everything after it
     */
    public int decode(ByteBuffer src) throws FatalPduException {
        int completed = 0;
        try {
            while (src.hasRemaining()) {
                switch (state) {
                    case AWAIT_CH:
                        if (fillHeader(src, COMMON_HEADER_LENGTH)) {
                            checkCommonHeader();
                        }
                        break;
                    case AWAIT_PSH:
                        if (fillHeader(src, headerTarget)) {
                            completed += onHeader();
                        }
                        break;
                    case AWAIT_PAD:
                        int skip = Math.min(padRemaining, src.remaining());
                        src.position(src.position() + skip);
                        padRemaining -= skip;
                        if (padRemaining == 0) {
                            state = State.AWAIT_DATA;
                        }
                        break;
                    case AWAIT_DATA:
                        completed += copyData(src);
                        break;
                    case AWAIT_DDGST:
                        completed += readDataDigest(src);
                        break;
                    case TERMINATED:
                    case ERROR:
                        src.position(src.limit());
                        break;
                    default:
                        throw new IllegalStateException(state.name());
                }
            }
        } catch (FatalPduException e) {
            state = State.ERROR;
            src.position(src.limit());
            throw e;
        }
        return completed;
    }

    /**
     * Bytes of the current data PDU still to come while the decoder waits for them and knows where they go (a
     * C2HData, H2CData or in-capsule payload with a destination), else 0. A reader may then read them straight into
     * {@link #dataDestination()} from index {@link #dataDestinationIndex()}, saving the copy out of its own buffer,
     * and report them with {@link #dataPlaced}.
     */
    public int dataPending() {
        return state == State.AWAIT_DATA && destination != null ? dataRemaining : 0;
    }

    /** Where the pending data goes (index {@link #dataDestinationIndex()} on); null when none is pending. */
    public ByteBuffer dataDestination() {
        return dataPending() > 0 ? destination : null;
    }

    public int dataDestinationIndex() {
        return dataIndex;
    }

    /** The payload length of the latest data PDU (or in-capsule data): what a reader expects to come next. */
    public int lastDataLength() {
        return lastDataLength;
    }

    /**
     * The reader placed the next {@code n} bytes of the pending data into the destination itself; {@code placed} is
     * the view it read through, its position just past them (the data digest is computed over them there).
     *
     * @return the number of PDUs completed (1 when these were the last bytes and no data digest follows)
     * @throws IllegalArgumentException if {@code n} is not within what was pending
     */
    public int dataPlaced(ByteBuffer placed, int n) {
        if (n <= 0 || n > dataPending()) {
            throw new IllegalArgumentException(n + " bytes placed, " + dataPending() + " pending");
        }
        if (expectDataDigest) {
            int end = placed.position();
            int limit = placed.limit();
            placed.limit(end).position(end - n);
            crc.update(placed);
            placed.limit(limit).position(end);
        }
        return dataArrived(n);
    }

    /**
     * Copies the header of the PDU in error (what a TermReq quotes, at most 128 bytes) to {@code dst} at its position.
     *
     * @return the number of bytes copied
     */
    public int copyHeaderInError(ByteBuffer dst) {
        int length = Math.min(Math.min(filled, TermReqPdu.MAX_DATA_LENGTH), dst.remaining());
        dst.put(dst.position(), header, 0, length);
        dst.position(dst.position() + length);
        return length;
    }

    private boolean fillHeader(ByteBuffer src, int target) {
        int n = Math.min(target - filled, src.remaining());
        header.put(filled, src, src.position(), n);
        src.position(src.position() + n);
        filled += n;
        return filled == target;
    }

    /** Validates the 8-byte common header in header order, so the lowest field in error is the one reported. */
    private void checkCommonHeader() throws FatalPduException {
        int code = header.get(TYPE_OFFSET) & 0xff;
        type = PduType.of(code);
        boolean controllerSide = controller != null;
        if (type == null || type.isHostToController() != controllerSide) {
            throw FatalPduException.invalidField(code, TYPE_OFFSET, "unknown PDU type or wrong direction");
        }
        boolean ic = type == PduType.IC_REQ || type == PduType.IC_RESP;
        boolean term = type == PduType.H2C_TERM_REQ || type == PduType.C2H_TERM_REQ;
        if (ic == initialized && !term) {
            throw FatalPduException.of(PDU_SEQUENCE_ERROR, code,
                    ic ? "a second " + type + " on an initialized connection" : type + " before " + firstPdu());
        }
        int flags = header.get(FLAGS_OFFSET) & 0xff;
        int hlen = header.get(HLEN_OFFSET) & 0xff;
        int pdo = header.get(PDO_OFFSET) & 0xff;
        long plen = Integer.toUnsignedLong(header.getInt(PLEN_OFFSET));
        boolean hdgstf = (flags & PduFlags.HDGSTF) != 0;
        boolean ddgstf = (flags & PduFlags.DDGSTF) != 0;
        int fullHeader = hlen + (hdgstf ? DIGEST_LENGTH : 0);
        long dataWithDigest = plen == fullHeader ? 0 : plen - pdo;

        if ((flags & ~type.validFlags()) != 0) {
            throw FatalPduException.invalidField(code, FLAGS_OFFSET, "flags 0x" + Integer.toHexString(flags)
                    + " not valid for " + type);
        }
        int expectedDigests = (headerDigest && type.carriesHeaderDigest() ? PduFlags.HDGSTF : 0)
                | (dataDigest && type.carriesDataDigest() && dataWithDigest != 0 ? PduFlags.DDGSTF : 0);
        if ((flags & (PduFlags.HDGSTF | PduFlags.DDGSTF)) != expectedDigests) {
            throw FatalPduException.invalidField(code, FLAGS_OFFSET, "digest flags 0x" + Integer.toHexString(flags)
                    + " disagree with the negotiated digests");
        }
        if ((flags & (PduFlags.LAST_PDU | PduFlags.SUCCESS)) == PduFlags.SUCCESS) {
            throw FatalPduException.invalidField(code, FLAGS_OFFSET, "SUCCESS without LAST_PDU");
        }
        if (hlen != type.headerLength()) {
            throw FatalPduException.invalidField(code, HLEN_OFFSET, "HLEN " + hlen + " for " + type);
        }
        if (type.carriesCommandData()) {
            boolean noData = dataWithDigest == 0 && pdo == 0;
            if (!noData && (pdo < fullHeader || pdo > plen || pdo % dataAlignment != 0)) {
                throw FatalPduException.invalidField(code, PDO_OFFSET, "PDO " + pdo + " out of range or not aligned to "
                        + dataAlignment);
            }
        } else if (pdo != 0) {
            throw FatalPduException.invalidField(code, PDO_OFFSET, "PDO " + pdo + " on " + type);
        }
        checkLength(code, plen, fullHeader, dataWithDigest, ddgstf);

        expectDataDigest = ddgstf;
        pduDataLength = (int) Math.max(0, dataWithDigest - (ddgstf ? DIGEST_LENGTH : 0));
        headerTarget = term ? (int) plen : fullHeader;
        state = State.AWAIT_PSH;
    }

    private void checkLength(int code, long plen, int fullHeader, long dataWithDigest, boolean ddgstf)
            throws FatalPduException {
        if (plen < fullHeader) {
            if (type == PduType.H2C_TERM_REQ || type == PduType.C2H_TERM_REQ) {
                throw FatalPduException.closeWithoutTermReq(code, PLEN_OFFSET, "TermReq PLEN " + plen);
            }
            throw FatalPduException.invalidField(code, PLEN_OFFSET, "PLEN " + plen + " below the header");
        }
        switch (type) {
            case IC_REQ:
            case IC_RESP:
            case CAPSULE_RESP:
            case R2T:
                if (plen != fullHeader) {
                    throw FatalPduException.invalidField(code, PLEN_OFFSET, "PLEN " + plen + " for " + type);
                }
                break;
            case H2C_TERM_REQ:
            case C2H_TERM_REQ:
                if (plen > TermReqPdu.MAX_LENGTH) {
                    throw FatalPduException.closeWithoutTermReq(code, PLEN_OFFSET, "TermReq PLEN " + plen);
                }
                break;
            default:
                long data = dataWithDigest - (ddgstf ? DIGEST_LENGTH : 0);
                if (data <= 0 && (type != PduType.CAPSULE_CMD || dataWithDigest != 0)) {
                    throw FatalPduException.invalidField(code, PLEN_OFFSET, "PLEN " + plen + " leaves no data");
                }
                if (type == PduType.CAPSULE_CMD && data > maxInCapsuleData) {
                    throw FatalPduException.of(DATA_TRANSFER_LIMIT_EXCEEDED, code, data
                            + " bytes of in-capsule data, limit " + maxInCapsuleData);
                }
                if (type == PduType.H2C_DATA && data > maxH2cData) {
                    throw FatalPduException.of(DATA_TRANSFER_LIMIT_EXCEEDED, code, data + " bytes of H2CData, MAXH2CDATA "
                            + maxH2cData);
                }
                if (data > Integer.MAX_VALUE) {
                    throw FatalPduException.of(DATA_TRANSFER_OUT_OF_RANGE, code, "PLEN " + plen + " beyond any command");
                }
                break;
        }
    }

    private String firstPdu() {
        return controller != null ? "ICReq" : "ICResp";
    }

    /** The whole header (and digest) is in: verify it, then deliver it or set up the data that follows. */
    private int onHeader() throws FatalPduException {
        int hlen = type.headerLength();
        if (headerTarget == hlen + DIGEST_LENGTH && type.carriesHeaderDigest()) {
            crc.reset();
            crc.update(header.array(), 0, hlen);
            if ((int) crc.getValue() != header.getInt(hlen)) {
                throw FatalPduException.of(HEADER_DIGEST_ERROR, type.code(), "header digest mismatch");
            }
        }
        switch (type) {
            case IC_REQ:
                checkIcReq();
                initialized = true;
                controller.onIcReq(icReq);
                return finishPdu();
            case IC_RESP:
                checkIcResp();
                initialized = true;
                host.onIcResp(icResp);
                return finishPdu();
            case H2C_TERM_REQ:
            case C2H_TERM_REQ:
                if (host != null) {
                    host.onTermReq(termReq);
                } else {
                    controller.onTermReq(termReq);
                }
                finishPdu();
                state = State.TERMINATED;
                return 1;
            case CAPSULE_RESP:
                host.onCapsuleResp(capsuleResp);
                return finishPdu();
            case R2T:
                if (r2t.r2tl() == 0) {
                    throw FatalPduException.invalidField(type.code(), R2tPdu.R2TL_OFFSET, "R2TL 0");
                }
                host.onR2t(r2t);
                return finishPdu();
            case CAPSULE_CMD:
                return beginCapsuleData();
            case H2C_DATA: {
                ByteBuffer dst = controller.onH2cData(h2cData);
                return beginData(h2cData.datao(), h2cData.datal(), dst, dst == null ? 0 : controller.h2cDataBase(),
                        0, dst == null ? 0 : dst.limit(), H2cDataPdu.TTAG_OFFSET, H2cDataPdu.DATAL_OFFSET);
            }
            case C2H_DATA: {
                ByteBuffer dst = host.onC2hData(c2hData);
                int index = dst == null ? 0 : host.c2hDataIndex();
                int length = dst == null ? 0 : host.c2hDataLength();
                return beginData(c2hData.datao(), c2hData.datal(), dst, 0, index,
                        length < 0 ? dst.limit() - index : length, C2hDataPdu.CCCID_OFFSET, C2hDataPdu.DATAL_OFFSET);
            }
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private void checkIcReq() throws FatalPduException {
        if (icReq.pfv() != 0) {
            throw FatalPduException.unsupported(type.code(), IcReqPdu.PFV_OFFSET, "PFV " + icReq.pfv());
        }
        if (icReq.hpda() > 31) {
            throw FatalPduException.unsupported(type.code(), IcReqPdu.HPDA_OFFSET, "HPDA " + icReq.hpda());
        }
    }

    private void checkIcResp() throws FatalPduException {
        if (icResp.pfv() != 0) {
            throw FatalPduException.unsupported(type.code(), IcRespPdu.PFV_OFFSET, "PFV " + icResp.pfv());
        }
        if (icResp.cpda() > 31) {
            throw FatalPduException.unsupported(type.code(), IcRespPdu.CPDA_OFFSET, "CPDA " + icResp.cpda());
        }
        long maxh2c = Integer.toUnsignedLong(icResp.maxH2cData());
        if (maxh2c < IcRespPdu.MIN_MAXH2CDATA || maxh2c % 4 != 0) {
            throw FatalPduException.unsupported(type.code(), IcRespPdu.MAXH2CDATA_OFFSET, "MAXH2CDATA " + maxh2c);
        }
    }

    private int beginCapsuleData() throws FatalPduException {
        int length = pduDataLength;
        ByteBuffer dst = controller.onCapsuleCmd(capsuleCmd);
        if (length == 0) {
            return finishPdu();
        }
        if (dst != null && dst.limit() < length) {
            throw FatalPduException.of(DATA_TRANSFER_OUT_OF_RANGE, type.code(), length
                    + " bytes of in-capsule data for a " + dst.limit() + "-byte buffer");
        }
        return startData(dst, 0, length);
    }

    /**
     * Starts a data PDU's payload: data offset {@code base} lies at index {@code at} of {@code dst}, and the
     * {@code expected} bytes from there are all the command's data may cover.
     */
    private int beginData(int datao, int datal, ByteBuffer dst, int base, int at, int expected, int tagOffset,
            int datalOffset) throws FatalPduException {
        if (datal != pduDataLength) {
            throw FatalPduException.invalidField(type.code(), datalOffset, "DATAL " + Integer.toUnsignedString(datal)
                    + " disagrees with PLEN");
        }
        if (dst == null) {
            throw FatalPduException.invalidField(type.code(), tagOffset, type + " for an unknown command");
        }
        long index = Integer.toUnsignedLong(datao) - Integer.toUnsignedLong(base);
        if (datao < 0 || index < 0 || index + datal > expected) {
            throw FatalPduException.of(DATA_TRANSFER_OUT_OF_RANGE, type.code(), "data at "
                    + Integer.toUnsignedString(datao) + "+" + datal + " beyond the " + expected + " bytes expected"
                    + (base == 0 ? "" : " from offset " + Integer.toUnsignedString(base)));
        }
        return startData(dst, at + (int) index, datal);
    }

    private int startData(ByteBuffer dst, int index, int length) {
        lastDataLength = length;
        destination = dst;
        dataIndex = index;
        dataRemaining = length;
        padRemaining = (header.get(PDO_OFFSET) & 0xff) - headerTarget;
        crc.reset();
        state = padRemaining > 0 ? State.AWAIT_PAD : State.AWAIT_DATA;
        return 0;
    }

    private int copyData(ByteBuffer src) {
        int n = Math.min(dataRemaining, src.remaining());
        int at = src.position();
        if (destination != null) {
            destination.put(dataIndex, src, at, n);
        }
        if (expectDataDigest) {
            int limit = src.limit();
            src.limit(at + n);
            crc.update(src);
            src.limit(limit);
        } else {
            src.position(at + n);
        }
        return dataArrived(n);
    }

    /** {@code n} more bytes of the payload are in place: on to the digest, or the PDU's end. */
    private int dataArrived(int n) {
        dataIndex += n;
        dataRemaining -= n;
        if (dataRemaining > 0) {
            return 0;
        }
        if (expectDataDigest) {
            state = State.AWAIT_DDGST;
            return 0;
        }
        return endData(true);
    }

    private int readDataDigest(ByteBuffer src) {
        while (digestFilled < DIGEST_LENGTH && src.hasRemaining()) {
            receivedDigest |= (src.get() & 0xff) << (8 * digestFilled);
            digestFilled++;
        }
        if (digestFilled < DIGEST_LENGTH) {
            return 0;
        }
        boolean ok = receivedDigest == (int) crc.getValue();
        return endData(ok);
    }

    private int endData(boolean digestOk) {
        switch (type) {
            case CAPSULE_CMD:
                controller.onCapsuleCmdEnd(capsuleCmd, digestOk);
                break;
            case H2C_DATA:
                controller.onH2cDataEnd(h2cData, digestOk);
                break;
            default:
                host.onC2hDataEnd(c2hData, digestOk);
                break;
        }
        return finishPdu();
    }

    private int finishPdu() {
        filled = 0;
        digestFilled = 0;
        receivedDigest = 0;
        destination = null;
        state = State.AWAIT_CH;
        return 1;
    }
}
