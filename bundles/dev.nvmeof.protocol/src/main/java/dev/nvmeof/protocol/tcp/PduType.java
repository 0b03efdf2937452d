package dev.nvmeof.protocol.tcp;

/**
 * NVMe/TCP PDU types (TCP Transport Specification 1.0, section 3.6.2) with the facts a receiver checks before it
 * trusts a header: the fixed header length (HLEN), the direction, which flags are valid and which digests the type
 * can carry.
 */
public enum PduType {
    IC_REQ(0x00, 128, true, PduFlags.NONE),
    IC_RESP(0x01, 128, false, PduFlags.NONE),
    H2C_TERM_REQ(0x02, 24, true, PduFlags.NONE),
    C2H_TERM_REQ(0x03, 24, false, PduFlags.NONE),
    CAPSULE_CMD(0x04, 72, true, PduFlags.HDGSTF | PduFlags.DDGSTF),
    CAPSULE_RESP(0x05, 24, false, PduFlags.HDGSTF),
    H2C_DATA(0x06, 24, true, PduFlags.HDGSTF | PduFlags.DDGSTF | PduFlags.LAST_PDU),
    C2H_DATA(0x07, 24, false, PduFlags.HDGSTF | PduFlags.DDGSTF | PduFlags.LAST_PDU | PduFlags.SUCCESS),
    R2T(0x09, 24, false, PduFlags.HDGSTF);

    private static final PduType[] BY_CODE = new PduType[256];

    static {
        for (PduType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int headerLength;
    private final boolean hostToController;
    private final int validFlags;

    PduType(int code, int headerLength, boolean hostToController, int validFlags) {
        this.code = code;
        this.headerLength = headerLength;
        this.hostToController = hostToController;
        this.validFlags = validFlags;
    }

    /** The PDU-Type byte. */
    public int code() {
        return code;
    }

    /** @return the type for a PDU-Type byte, or {@code null} when the code names no PDU type. */
    public static PduType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** HLEN: the fixed length of this type's header, without the header digest. */
    public int headerLength() {
        return headerLength;
    }

    /** True for PDUs the host sends (even codes), false for those the controller sends. */
    public boolean isHostToController() {
        return hostToController;
    }

    /** The flags a PDU of this type may carry; any other bit set is an invalid header field. */
    public int validFlags() {
        return validFlags;
    }

    /** Whether a header digest follows the header when header digests are enabled. ICs and TermReqs never carry one. */
    public boolean carriesHeaderDigest() {
        return (validFlags & PduFlags.HDGSTF) != 0;
    }

    /** Whether a data digest follows the data when data digests are enabled and the PDU has data. */
    public boolean carriesDataDigest() {
        return (validFlags & PduFlags.DDGSTF) != 0;
    }

    /** Whether the PDU data goes to a command's buffer (CapsuleCmd in-capsule data, H2CData, C2HData). */
    public boolean carriesCommandData() {
        return carriesDataDigest();
    }
}
