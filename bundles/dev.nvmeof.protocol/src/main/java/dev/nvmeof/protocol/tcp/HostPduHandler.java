package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * What a host's {@link PduDecoder} delivers: the PDUs a controller sends. Every flyweight passed in is a view over
 * the decoder's own header storage, valid only during the call.
 */
public interface HostPduHandler {

    /** The controller's ICResp; call {@link PduDecoder#negotiated} before returning if digests were granted. */
    void onIcResp(IcRespPdu pdu);

    /** The controller ends the connection; the decoder discards all further input. */
    void onTermReq(TermReqPdu pdu);

    void onCapsuleResp(CapsuleRespPdu pdu);

    void onR2t(R2tPdu pdu);

    /**
     * The header of a C2HData PDU, before its data.
     *
     * @return the buffer holding the command's whole data (index 0 is data offset 0, the limit is the command's
     *         length): the decoder writes {@code DATAL} bytes at index {@code DATAO} with absolute puts and leaves
     *         position and limit alone; {@code null} if no command has this CCCID (a fatal error)
     */
    ByteBuffer onC2hData(C2hDataPdu pdu);

    /**
     * Where data offset 0 lies in the buffer {@link #onC2hData} just returned, so a handler can hand out the caller's
     * own buffer (its data at its position) instead of a slice made per command. Default 0.
     *
     * @since 1.3
     */
    default int c2hDataIndex() {
        return 0;
    }

    /**
     * The command's data length in that buffer from {@link #c2hDataIndex()}; data beyond it is a fatal error.
     * Default -1: up to the buffer's limit.
     *
     * @since 1.3
     */
    default int c2hDataLength() {
        return -1;
    }

    /**
     * All data of the C2HData PDU has been written.
     *
     * @param dataDigestOk false when a data digest was negotiated and did not match: the data is bad and what to do
     *                     is the caller's policy (the connection itself is still in sync)
     */
    void onC2hDataEnd(C2hDataPdu pdu, boolean dataDigestOk);
}
