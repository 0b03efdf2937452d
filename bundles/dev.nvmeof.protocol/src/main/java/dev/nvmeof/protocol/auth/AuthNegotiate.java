package dev.nvmeof.protocol.auth;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * AUTH_Negotiate, host to controller (NVMe Base 2.0, "AUTH_Negotiate message"; Linux
 * {@code nvmf_auth_dhchap_negotiate_data}): the transaction ID, the secure channel concatenation wanted, and one
 * DH-HMAC-CHAP protocol descriptor with the hashes and DH groups the host accepts, most preferred first.
 *
 * <pre>
 *  byte 0-5 header (AUTH_Type 00h, AUTH_Id 00h)   6 SC_C   7 NAPD (number of descriptors, 1)
 *  descriptor, 64 bytes at 8:
 *   +0 AUTHID (01h DH-HMAC-CHAP)  +1 rsvd  +2 HALEN  +3 DHLEN
 *   +4..+33  HALEN hash ids, the rest zero       +34..+63  DHLEN DH group ids, the rest zero
 * </pre>
 *
 * @param secureChannel SC_C: 0 for none; TLS concatenation (1, 2) is not supported by this stage
 */
public record AuthNegotiate(int transactionId, int secureChannel, List<DhchapHash> hashes, List<DhGroup> groups)
        implements DhchapMessage {

    public static final int SC_C_OFFSET = 6;
    public static final int NAPD_OFFSET = 7;
    public static final int DESCRIPTORS_OFFSET = 8;
    public static final int DESCRIPTOR_LENGTH = 64;
    public static final int AUTHID_OFFSET = 0;
    public static final int HALEN_OFFSET = 2;
    public static final int DHLEN_OFFSET = 3;
    public static final int HASH_IDS_OFFSET = 4;
    public static final int DH_IDS_OFFSET = 34;
    public static final int MAX_IDS = 30;
    public static final int AUTHID_DHCHAP = 0x01;
    public static final int SC_C_NONE = 0x00;
    public static final int LENGTH = DESCRIPTORS_OFFSET + DESCRIPTOR_LENGTH;

    public AuthNegotiate {
        hashes = List.copyOf(hashes);
        groups = List.copyOf(groups);
        if (hashes.size() > MAX_IDS || groups.size() > MAX_IDS) {
            throw new IllegalArgumentException("at most " + MAX_IDS + " hashes and groups");
        }
    }

    @Override
    public byte[] encode() {
        ByteBuffer buffer = MessageBytes.start(LENGTH, AUTH_TYPE_COMMON, AUTH_ID_NEGOTIATE, transactionId);
        buffer.put(SC_C_OFFSET, (byte) secureChannel);
        buffer.put(NAPD_OFFSET, (byte) 1);
        int d = DESCRIPTORS_OFFSET;
        buffer.put(d + AUTHID_OFFSET, (byte) AUTHID_DHCHAP);
        buffer.put(d + HALEN_OFFSET, (byte) hashes.size());
        buffer.put(d + DHLEN_OFFSET, (byte) groups.size());
        for (int i = 0; i < hashes.size(); i++) {
            buffer.put(d + HASH_IDS_OFFSET + i, (byte) hashes.get(i).code());
        }
        for (int i = 0; i < groups.size(); i++) {
            buffer.put(d + DH_IDS_OFFSET + i, (byte) groups.get(i).code());
        }
        return buffer.array();
    }

    static AuthNegotiate decode(ByteBuffer buffer) throws DhchapException {
        MessageBytes.requireLength(buffer, DESCRIPTORS_OFFSET, "AUTH_Negotiate");
        int napd = MessageBytes.u8(buffer, NAPD_OFFSET);
        // DH-HMAC-CHAP is the only authentication protocol defined, so exactly one descriptor makes sense.
        if (napd != 1) {
            throw DhchapException.payload("AUTH_Negotiate has NAPD " + napd + "; exactly 1 descriptor is defined");
        }
        MessageBytes.requireLength(buffer, LENGTH, "AUTH_Negotiate with 1 descriptor");
        int d = DESCRIPTORS_OFFSET;
        int authId = MessageBytes.u8(buffer, d + AUTHID_OFFSET);
        if (authId != AUTHID_DHCHAP) {
            throw new DhchapException(DhchapFailureReason.AUTHENTICATION_PROTOCOL_NOT_USABLE,
                    String.format("AUTH_Negotiate descriptor has AUTHID %02Xh; only 01h (DH-HMAC-CHAP) is defined",
                            authId));
        }
        int halen = MessageBytes.u8(buffer, d + HALEN_OFFSET);
        int dhlen = MessageBytes.u8(buffer, d + DHLEN_OFFSET);
        if (halen > MAX_IDS || dhlen > MAX_IDS) {
            throw DhchapException.payload("AUTH_Negotiate has HALEN " + halen + " and DHLEN " + dhlen
                    + "; each list holds at most " + MAX_IDS + " ids");
        }
        List<DhchapHash> hashes = new ArrayList<>(halen);
        for (int i = 0; i < halen; i++) {
            int index = i;
            int code = MessageBytes.u8(buffer, d + HASH_IDS_OFFSET + i);
            hashes.add(DhchapHash.of(code).orElseThrow(() -> DhchapException.payload(String.format(
                    "AUTH_Negotiate hash id %d is %02Xh, not a defined hash (01h..03h)", index, code))));
        }
        List<DhGroup> groups = new ArrayList<>(dhlen);
        for (int i = 0; i < dhlen; i++) {
            int index = i;
            int code = MessageBytes.u8(buffer, d + DH_IDS_OFFSET + i);
            groups.add(DhGroup.of(code).orElseThrow(() -> DhchapException.payload(String.format(
                    "AUTH_Negotiate DH group id %d is %02Xh, not a defined group (00h..05h)", index, code))));
        }
        return new AuthNegotiate(MessageBytes.transactionId(buffer), MessageBytes.u8(buffer, SC_C_OFFSET), hashes,
                groups);
    }

    @Override
    public String messageName() {
        return "AUTH_Negotiate";
    }
}
