package dev.nvmeof.protocol.tcp;

/** The FLAGS byte of the PDU common header (TCP Transport Specification 1.0, section 3.6.1). */
public final class PduFlags {
    public static final int NONE = 0;
    /** A header digest follows the PDU header. */
    public static final int HDGSTF = 0x01;
    /** A data digest follows the PDU data. */
    public static final int DDGSTF = 0x02;
    /** H2CData/C2HData: the last data PDU of the transfer. */
    public static final int LAST_PDU = 0x04;
    /** C2HData: the command completed successfully; no CapsuleResp follows (only with LAST_PDU, only without SQ flow control). */
    public static final int SUCCESS = 0x08;

    private PduFlags() {
    }
}
