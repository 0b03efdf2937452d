package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;

/**
 * DH-HMAC-CHAP_Reply, host to controller (NVMe Base 2.0, "DH-HMAC-CHAP_Reply message"; Linux
 * {@code nvmf_auth_dhchap_reply_data}): the host's response R1, for bidirectional authentication the challenge C2
 * and sequence number S2, and the host's DH value.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 01h, AUTH_Id 02h)   6 HL   7 rsvd   8 CVALID (bit 0)   9 rsvd   10-11 DHVLEN
 *  12-15 SEQNUM (S2, 0 when unidirectional)   16 R1 (HL bytes)   16+HL C2 (HL bytes, zero unless CVALID)
 *  16+2*HL DH value (DHVLEN bytes)
 * </pre>
 *
 * @param challenge C2, or an empty array when the host does not authenticate the controller (CVALID 0)
 */
public record DhchapReply(int transactionId, byte[] response, byte[] challenge, long sequenceNumber, byte[] dhValue)
        implements DhchapMessage {

    public static final int HL_OFFSET = 6;
    public static final int CVALID_OFFSET = 8;
    public static final int DHVLEN_OFFSET = 10;
    public static final int SEQNUM_OFFSET = 12;
    public static final int RVAL_OFFSET = 16;
    public static final int CVALID = 0x01;

    public DhchapReply {
        response = response.clone();
        challenge = challenge.clone();
        dhValue = dhValue.clone();
        if (challenge.length != 0 && challenge.length != response.length) {
            throw new IllegalArgumentException("C2 has the response's length or is empty");
        }
    }

    /** Whether C2 is present: the host authenticates the controller. */
    public boolean hasChallenge() {
        return challenge.length != 0;
    }

    @Override
    public byte[] response() {
        return response.clone();
    }

    @Override
    public byte[] challenge() {
        return challenge.clone();
    }

    @Override
    public byte[] dhValue() {
        return dhValue.clone();
    }

    @Override
    public byte[] encode() {
        int hl = response.length;
        ByteBuffer buffer = MessageBytes.start(RVAL_OFFSET + 2 * hl + dhValue.length, AUTH_TYPE_DHCHAP,
                AUTH_ID_REPLY, transactionId);
        buffer.put(HL_OFFSET, (byte) hl);
        buffer.put(CVALID_OFFSET, (byte) (hasChallenge() ? CVALID : 0));
        buffer.putShort(DHVLEN_OFFSET, (short) dhValue.length);
        buffer.putInt(SEQNUM_OFFSET, (int) sequenceNumber);
        buffer.put(RVAL_OFFSET, response);
        buffer.put(RVAL_OFFSET + hl, challenge);
        buffer.put(RVAL_OFFSET + 2 * hl, dhValue);
        return buffer.array();
    }

    static DhchapReply decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, RVAL_OFFSET, "DH-HMAC-CHAP_Reply");
        int hl = MessageBytes.u8(buffer, HL_OFFSET);
        MessageBytes.hashOfLength(hl, "DH-HMAC-CHAP_Reply");
        int dhvlen = MessageBytes.u16(buffer, DHVLEN_OFFSET);
        MessageBytes.requireLength(buffer, RVAL_OFFSET + 2 * hl + dhvlen, "DH-HMAC-CHAP_Reply with HL " + hl
                + " and DHVLEN " + dhvlen);
        boolean cvalid = (MessageBytes.u8(buffer, CVALID_OFFSET) & CVALID) != 0;
        return new DhchapReply(MessageBytes.transactionId(buffer), MessageBytes.bytes(buffer, RVAL_OFFSET, hl),
                cvalid ? MessageBytes.bytes(buffer, RVAL_OFFSET + hl, hl) : new byte[0],
                MessageBytes.u32(buffer, SEQNUM_OFFSET), MessageBytes.bytes(buffer, RVAL_OFFSET + 2 * hl, dhvlen));
    }

    @Override
    public String messageName() {
        return "DH-HMAC-CHAP_Reply";
    }

    @Override
    public String toString() {
        return "DhchapReply[transactionId=" + transactionId + ", hl=" + response.length + ", cvalid="
                + hasChallenge() + ", sequenceNumber=" + sequenceNumber + ", dhvlen=" + dhValue.length + "]";
    }
}
