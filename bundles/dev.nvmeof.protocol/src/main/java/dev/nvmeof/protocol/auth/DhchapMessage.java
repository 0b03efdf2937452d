package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One authentication message, the payload of an Authentication Send or Receive command (NVMe Base 2.0, section
 * 8.13.5 and "Authentication Send / Receive" of NVMe over Fabrics; Linux {@code struct nvmf_auth_dhchap_*_data}).
 * Every message starts with the same 6 bytes, little-endian:
 *
 * <pre>
 *  byte 0          1        2-3     4-5
 *  +-----------+---------+-------+--------+------ message specific
 *  | AUTH_Type | AUTH_Id | rsvd  |  T_ID  |
 *  +-----------+---------+-------+--------+
 *  AUTH_Type 00h common:         AUTH_Id 00h AUTH_Negotiate, F0h AUTH_Failure2, F1h AUTH_Failure1
 *  AUTH_Type 01h DH-HMAC-CHAP:   AUTH_Id 01h _Challenge, 02h _Reply, 03h _Success1, 04h _Success2
 * </pre>
 *
 * {@link #decode} checks the header, then every length and identifier against the payload before it reads a value;
 * bytes past the message are ignored (a receive buffer is usually larger than the message in it). Whatever the input,
 * it returns a message or throws {@link DhchapException}, never anything else.
 */
public sealed interface DhchapMessage
        permits AuthNegotiate, DhchapChallenge, DhchapReply, DhchapSuccess1, DhchapSuccess2, DhchapFailure {

    int AUTH_TYPE_OFFSET = 0;
    int AUTH_ID_OFFSET = 1;
    int TRANSACTION_ID_OFFSET = 4;
    int HEADER_LENGTH = 6;

    int AUTH_TYPE_COMMON = 0x00;
    int AUTH_TYPE_DHCHAP = 0x01;
    int AUTH_ID_NEGOTIATE = 0x00;
    int AUTH_ID_CHALLENGE = 0x01;
    int AUTH_ID_REPLY = 0x02;
    int AUTH_ID_SUCCESS1 = 0x03;
    int AUTH_ID_SUCCESS2 = 0x04;
    int AUTH_ID_FAILURE2 = 0xF0;
    int AUTH_ID_FAILURE1 = 0xF1;

    /** T_ID, 16 bits: the host chooses it in AUTH_Negotiate and every later message of the transaction repeats it. */
    int transactionId();

    /** The message's bytes, exactly its length. */
    byte[] encode();

    /** Decodes a whole array; see {@link #decode(byte[], int)}. */
    static DhchapMessage decode(byte[] payload) throws DhchapException {
        return decode(payload, payload.length);
    }

    /**
     * Decodes the message in the first {@code length} bytes of {@code payload}.
     *
     * @throws DhchapException {@link DhchapFailureReason#INCORRECT_PROTOCOL_MESSAGE} for an unknown type or id,
     *         {@link DhchapFailureReason#INCORRECT_PAYLOAD} for lengths or counts that do not fit, and the hash or
     *         group reasons for unknown identifiers, each with a message naming the field and its value
     */
    static DhchapMessage decode(byte[] payload, int length) throws DhchapException {
        if (length < 0 || length > payload.length) {
            throw DhchapException.payload("length " + length + " is outside the buffer of " + payload.length);
        }
        if (length < HEADER_LENGTH) {
            throw DhchapException.payload("an authentication message has at least " + HEADER_LENGTH + " bytes, not "
                    + length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload, 0, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        int type = buffer.get(AUTH_TYPE_OFFSET) & 0xFF;
        int id = buffer.get(AUTH_ID_OFFSET) & 0xFF;
        if (type == AUTH_TYPE_COMMON) {
            switch (id) {
                case AUTH_ID_NEGOTIATE:
                    return AuthNegotiate.decode(buffer);
                case AUTH_ID_FAILURE1:
                case AUTH_ID_FAILURE2:
                    return DhchapFailure.decode(buffer);
                default:
                    break;
            }
        } else if (type == AUTH_TYPE_DHCHAP) {
            switch (id) {
                case AUTH_ID_CHALLENGE:
                    return DhchapChallenge.decode(buffer);
                case AUTH_ID_REPLY:
                    return DhchapReply.decode(buffer);
                case AUTH_ID_SUCCESS1:
                    return DhchapSuccess1.decode(buffer);
                case AUTH_ID_SUCCESS2:
                    return DhchapSuccess2.decode(buffer);
                default:
                    break;
            }
        }
        throw DhchapException.protocolMessage(String.format("unknown message AUTH_Type %02Xh AUTH_Id %02Xh", type, id));
    }

    /** A name for messages: "AUTH_Negotiate", "DH-HMAC-CHAP_Challenge", ... */
    default String messageName() {
        return getClass().getSimpleName();
    }
}
