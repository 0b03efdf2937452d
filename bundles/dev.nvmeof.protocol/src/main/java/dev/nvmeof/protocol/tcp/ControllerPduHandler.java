package dev.nvmeof.protocol.tcp;

import java.nio.ByteBuffer;

/**
 * What a controller's {@link PduDecoder} delivers: the PDUs a host sends. Every flyweight passed in is a view over
 * the decoder's own header storage, valid only during the call.
 */
public interface ControllerPduHandler {

    /** The host's ICReq; call {@link PduDecoder#negotiated} before returning with what the ICResp grants. */
    void onIcReq(IcReqPdu pdu);

    /** The host ends the connection; the decoder discards all further input. */
    void onTermReq(TermReqPdu pdu);

    /**
     * A command capsule. When {@link CapsuleCmdPdu#dataLength()} is 0 the PDU is complete and nothing more is called
     * for it; otherwise in-capsule data follows and {@link #onCapsuleCmdEnd} is called after it.
     *
     * @return where the in-capsule data goes (index 0 onwards, at least {@code dataLength()} bytes below the limit),
     *         or {@code null} to discard it (a command refused with an NVMe status still has its data on the wire)
     */
    ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu);

    /** The in-capsule data has arrived. {@code dataDigestOk} is false on a data digest mismatch. */
    void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk);

    /**
     * The header of an H2CData PDU, before its data.
     *
     * @return the buffer holding the command's whole data (index 0 is data offset 0); the decoder writes
     *         {@code DATAL} bytes at index {@code DATAO}; {@code null} if no R2T is outstanding with this TTAG
     *         (a fatal error)
     */
    ByteBuffer onH2cData(H2cDataPdu pdu);

    /**
     * The data offset that index 0 of the buffer {@link #onH2cData} just returned stands for: 0 when it holds the
     * command's whole data; the R2TO of the outstanding R2T when the controller receives a command's data one R2T at a
     * time into a buffer of that R2T's size (so memory per command stays bounded however large the command is). The
     * decoder writes {@code DATAL} bytes at index {@code DATAO - base} and treats data outside the buffer as out of
     * range.
     *
     * @since 1.1
     */
    default int h2cDataBase() {
        return 0;
    }

    /** The data of the H2CData PDU has arrived. {@code dataDigestOk} is false on a data digest mismatch. */
    void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk);
}
