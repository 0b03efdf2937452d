package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;

/**
 * DH-HMAC-CHAP_Success2, host to controller (NVMe Base 2.0, "DH-HMAC-CHAP_Success2 message"; Linux
 * {@code nvmf_auth_dhchap_success2_data}): the host verified the controller's response; bidirectional only.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 01h, AUTH_Id 04h)   6-15 rsvd
 * </pre>
 */
public record DhchapSuccess2(int transactionId) implements DhchapMessage {

    public static final int LENGTH = 16;

    @Override
    public byte[] encode() {
        return MessageBytes.start(LENGTH, AUTH_TYPE_DHCHAP, AUTH_ID_SUCCESS2, transactionId).array();
    }

    static DhchapSuccess2 decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, LENGTH, "DH-HMAC-CHAP_Success2");
        return new DhchapSuccess2(MessageBytes.transactionId(buffer));
    }

    @Override
    public String messageName() {
        return "DH-HMAC-CHAP_Success2";
    }
}
