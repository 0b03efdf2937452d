package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;

/**
 * DH-HMAC-CHAP_Success1, controller to host (NVMe Base 2.0, "DH-HMAC-CHAP_Success1 message"; Linux
 * {@code nvmf_auth_dhchap_success1_data}): the host is authenticated; for bidirectional authentication it carries the
 * controller's response R2. Like the Linux target, the response field is always HL bytes, zero when RVALID is 0.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 01h, AUTH_Id 03h)   6 HL   7 rsvd   8 RVALID (bit 0)   9-15 rsvd
 *  16 R2 (HL bytes)
 * </pre>
 *
 * @param response R2, or an empty array when RVALID is 0
 */
public record DhchapSuccess1(int transactionId, int hashLength, byte[] response) implements DhchapMessage {

    public static final int HL_OFFSET = 6;
    public static final int RVALID_OFFSET = 8;
    public static final int RVAL_OFFSET = 16;
    public static final int RVALID = 0x01;

    public DhchapSuccess1 {
        response = response.clone();
        if (response.length != 0 && response.length != hashLength) {
            throw new IllegalArgumentException("R2 has HL bytes or is empty");
        }
    }

    /** Whether R2 is present (RVALID). */
    public boolean hasResponse() {
        return response.length != 0;
    }

    @Override
    public byte[] response() {
        return response.clone();
    }

    @Override
    public byte[] encode() {
        ByteBuffer buffer = MessageBytes.start(RVAL_OFFSET + hashLength, AUTH_TYPE_DHCHAP, AUTH_ID_SUCCESS1,
                transactionId);
        buffer.put(HL_OFFSET, (byte) hashLength);
        buffer.put(RVALID_OFFSET, (byte) (hasResponse() ? RVALID : 0));
        buffer.put(RVAL_OFFSET, response);
        return buffer.array();
    }

    static DhchapSuccess1 decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, RVAL_OFFSET, "DH-HMAC-CHAP_Success1");
        int hl = MessageBytes.u8(buffer, HL_OFFSET);
        MessageBytes.hashOfLength(hl, "DH-HMAC-CHAP_Success1");
        boolean rvalid = (MessageBytes.u8(buffer, RVALID_OFFSET) & RVALID) != 0;
        if (rvalid) {
            MessageBytes.requireLength(buffer, RVAL_OFFSET + hl, "DH-HMAC-CHAP_Success1 with HL " + hl);
        }
        return new DhchapSuccess1(MessageBytes.transactionId(buffer), hl,
                rvalid ? MessageBytes.bytes(buffer, RVAL_OFFSET, hl) : new byte[0]);
    }

    @Override
    public String messageName() {
        return "DH-HMAC-CHAP_Success1";
    }

    @Override
    public String toString() {
        return "DhchapSuccess1[transactionId=" + transactionId + ", hl=" + hashLength + ", rvalid=" + hasResponse()
                + "]";
    }
}
