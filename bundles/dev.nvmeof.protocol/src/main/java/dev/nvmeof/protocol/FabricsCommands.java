package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * Writers and readers of the Fabrics commands: Connect, Property Get, Property Set, Disconnect (NVMe over Fabrics
 * 1.1, "Connect Command and Response", "Property Get Command and Response", "Property Set Command",
 * "Disconnect Command") and Authentication Send / Receive (NVMe Base 2.0, "Authentication Send command",
 * "Authentication Receive command"; Linux {@code nvmf_auth_send_command}, {@code nvmf_auth_receive_command}).
 * Every writer clears the 64 bytes first, then sets opcode 7Fh, PSDT 01b (the Linux target rejects anything else),
 * the CID, FCTYPE and the command's fields; nothing allocates.
 *
 * <pre>
 *  Connect                         Property Get / Set                Disconnect
 *  40 RECFMT (2)  42 QID (2)       40 ATTRIB (1) 41-43 rsvd          40 RECFMT (2)
 *  44 SQSIZE (2)  46 CATTR (1)     44 OFST (4)
 *  48 KATO (4)                     48 VALUE (8, Set only)
 *  DPTR: in-capsule, 1024 bytes    DPTR: no data (5Ah, length 0)     DPTR: no data
 *
 *  Authentication Send / Receive
 *  41 SPSP0 (1)  42 SPSP1 (1)  43 SECP (1)  44 TL (Send) / AL (Receive) (4)
 *  DPTR: Send in-capsule, TL bytes; Receive a transport data block of AL bytes
 * </pre>
 *
 * Property Get returns the value in DW0 (4 bytes) or DW0 and DW1 (8 bytes,
 * {@link CompletionQueueEntryFlyweight#result64()}); Connect's response is decoded by {@link ConnectResponse}.
 */
public final class FabricsCommands {

    public static final int RECFMT_OFFSET = 40;
    public static final int QID_OFFSET = 42;
    public static final int SQSIZE_OFFSET = 44;
    public static final int CATTR_OFFSET = 46;
    public static final int KATO_OFFSET = 48;

    public static final int ATTRIB_OFFSET = 40;
    public static final int OFST_OFFSET = 44;
    public static final int VALUE_OFFSET = 48;

    /** ATTRIB bits 2:0, property size: 000b is 4 bytes, 001b is 8 bytes. */
    public static final int ATTRIB_SIZE_MASK = 0x7;
    public static final int ATTRIB_SIZE_4 = 0;
    public static final int ATTRIB_SIZE_8 = 1;

    public static final int SPSP0_OFFSET = 41;
    public static final int SPSP1_OFFSET = 42;
    public static final int SECP_OFFSET = 43;
    /** TL of Authentication Send, AL of Authentication Receive: the payload length in bytes. */
    public static final int AUTH_LENGTH_OFFSET = 44;
    /** SECP of NVMe in-band authentication (DH-HMAC-CHAP), with SPSP0 and SPSP1 both 01h. */
    public static final int SECP_DHCHAP = 0xE9;
    public static final int SPSP_DHCHAP = 0x01;

    /** CATTR bit 2: the host disables SQ flow control, so the controller reports SQHD as FFFFh. */
    public static final int CATTR_DISABLE_SQ_FLOW_CONTROL = 1 << 2;

    /** The only Connect record format, version 0. */
    public static final int RECFMT_0 = 0;
    public static final int ADMIN_QUEUE_ID = 0;

    private FabricsCommands() {
    }

    private static SubmissionQueueEntryFlyweight start(SubmissionQueueEntryFlyweight sqe, int cid,
            FabricsCommandType type) {
        return sqe.clear()
                .opcode(AdminOpcode.FABRICS.code())
                .psdt(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_BUFFER)
                .cid(cid)
                .fctype(type.code());
    }

    /**
     * Connect for queue {@code qid} (0 = admin); its 1024 bytes of {@link ConnectDataFlyweight} go in-capsule at offset 0.
     *
     * @param sqsize submission queue size, 0's based (31 for 32 entries)
     * @param katoMillis keep-alive timeout in milliseconds; meaningful on the admin queue only, 0 disables it
     * @param cattr connect attributes, e.g. {@link #CATTR_DISABLE_SQ_FLOW_CONTROL}
     */
    public static void connect(SubmissionQueueEntryFlyweight sqe, int cid, int qid, int sqsize, int katoMillis,
            int cattr) {
        start(sqe, cid, FabricsCommandType.CONNECT).sglInCapsule(0, ConnectDataFlyweight.LENGTH);
        sqe.buffer().putShort(sqe.offset() + RECFMT_OFFSET, (short) RECFMT_0);
        sqe.buffer().putShort(sqe.offset() + QID_OFFSET, (short) qid);
        sqe.buffer().putShort(sqe.offset() + SQSIZE_OFFSET, (short) sqsize);
        sqe.buffer().put(sqe.offset() + CATTR_OFFSET, (byte) cattr);
        sqe.buffer().putInt(sqe.offset() + KATO_OFFSET, katoMillis);
    }

    /** Property Get of {@code size8 ? 8 : 4} bytes at property offset {@code propertyOffset}. */
    public static void propertyGet(SubmissionQueueEntryFlyweight sqe, int cid, int propertyOffset, boolean size8) {
        start(sqe, cid, FabricsCommandType.PROPERTY_GET).sglNull();
        sqe.buffer().put(sqe.offset() + ATTRIB_OFFSET, (byte) (size8 ? ATTRIB_SIZE_8 : ATTRIB_SIZE_4));
        sqe.buffer().putInt(sqe.offset() + OFST_OFFSET, propertyOffset);
    }

    public static void propertyGet(SubmissionQueueEntryFlyweight sqe, int cid, ControllerProperty property) {
        propertyGet(sqe, cid, property.offset(), property.isEightBytes());
    }

    /** Property Set; a 4-byte property takes the low 32 bits of {@code value} and the rest of VALUE is zero. */
    public static void propertySet(SubmissionQueueEntryFlyweight sqe, int cid, int propertyOffset, boolean size8,
            long value) {
        start(sqe, cid, FabricsCommandType.PROPERTY_SET).sglNull();
        sqe.buffer().put(sqe.offset() + ATTRIB_OFFSET, (byte) (size8 ? ATTRIB_SIZE_8 : ATTRIB_SIZE_4));
        sqe.buffer().putInt(sqe.offset() + OFST_OFFSET, propertyOffset);
        sqe.buffer().putLong(sqe.offset() + VALUE_OFFSET, size8 ? value : value & 0xFFFF_FFFFL);
    }

    public static void propertySet(SubmissionQueueEntryFlyweight sqe, int cid, ControllerProperty property,
            long value) {
        propertySet(sqe, cid, property.offset(), property.isEightBytes(), value);
    }

    /** Disconnect of the queue the command is sent on (I/O queues only). */
    public static void disconnect(SubmissionQueueEntryFlyweight sqe, int cid, int recfmt) {
        start(sqe, cid, FabricsCommandType.DISCONNECT).sglNull();
        sqe.buffer().putShort(sqe.offset() + RECFMT_OFFSET, (short) recfmt);
    }

    /** Authentication Send of {@code length} bytes of DH-HMAC-CHAP payload, in-capsule at offset 0. */
    public static void authenticationSend(SubmissionQueueEntryFlyweight sqe, int cid, int length) {
        start(sqe, cid, FabricsCommandType.AUTHENTICATION_SEND).sglInCapsule(0, length);
        authenticationFields(sqe, length);
    }

    /** Authentication Receive of at most {@code length} bytes, into a transport data block (C2HData). */
    public static void authenticationReceive(SubmissionQueueEntryFlyweight sqe, int cid, int length) {
        start(sqe, cid, FabricsCommandType.AUTHENTICATION_RECEIVE).sglTransportDataBlock(length);
        authenticationFields(sqe, length);
    }

    private static void authenticationFields(SubmissionQueueEntryFlyweight sqe, int length) {
        sqe.buffer().put(sqe.offset() + SPSP0_OFFSET, (byte) SPSP_DHCHAP);
        sqe.buffer().put(sqe.offset() + SPSP1_OFFSET, (byte) SPSP_DHCHAP);
        sqe.buffer().put(sqe.offset() + SECP_OFFSET, (byte) SECP_DHCHAP);
        sqe.buffer().putInt(sqe.offset() + AUTH_LENGTH_OFFSET, length);
    }

    // ---- readers, for a target or a test ----

    public static int recfmt(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getShort(sqe.offset() + RECFMT_OFFSET) & 0xFFFF;
    }

    public static int qid(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getShort(sqe.offset() + QID_OFFSET) & 0xFFFF;
    }

    /** SQSIZE, 0's based. */
    public static int sqsize(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getShort(sqe.offset() + SQSIZE_OFFSET) & 0xFFFF;
    }

    public static int cattr(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().get(sqe.offset() + CATTR_OFFSET) & 0xFF;
    }

    /** KATO in milliseconds, unsigned 32 bits. */
    public static long kato(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getInt(sqe.offset() + KATO_OFFSET) & 0xFFFF_FFFFL;
    }

    /** Whether a Property Get or Set is for 8 bytes. */
    public static boolean isPropertySize8(SubmissionQueueEntryFlyweight sqe) {
        return (sqe.buffer().get(sqe.offset() + ATTRIB_OFFSET) & ATTRIB_SIZE_MASK) == ATTRIB_SIZE_8;
    }

    public static int propertyOffset(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getInt(sqe.offset() + OFST_OFFSET);
    }

    /** Whether SECP, SPSP0 and SPSP1 name DH-HMAC-CHAP, as the Linux target checks before anything else. */
    public static boolean isDhchapSecurityProtocol(SubmissionQueueEntryFlyweight sqe) {
        ByteBuffer b = sqe.buffer();
        return (b.get(sqe.offset() + SECP_OFFSET) & 0xFF) == SECP_DHCHAP
                && b.get(sqe.offset() + SPSP0_OFFSET) == SPSP_DHCHAP
                && b.get(sqe.offset() + SPSP1_OFFSET) == SPSP_DHCHAP;
    }

    /** TL of an Authentication Send or AL of an Authentication Receive, unsigned 32 bits. */
    public static long authenticationLength(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getInt(sqe.offset() + AUTH_LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    public static long propertyValue(SubmissionQueueEntryFlyweight sqe) {
        return sqe.buffer().getLong(sqe.offset() + VALUE_OFFSET);
    }
}
