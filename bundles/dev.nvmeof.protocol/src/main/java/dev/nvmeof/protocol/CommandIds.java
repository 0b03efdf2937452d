package dev.nvmeof.protocol;

/**
 * Command identifiers that carry a generation, as Linux's {@code nvme_cid} does since 5.14: bits 11:0 are the tag
 * (the slot a queue keeps the command in), bits 15:12 a generation the host counts up each time it reuses the tag.
 * A completion, R2T or C2HData for a command that has already ended (a duplicate, or a CapsuleResp after a C2HData
 * with SUCCESS) then names a CID no command holds, instead of completing whichever command took its tag next:
 * receivers look the tag up and check the whole CID.
 *
 * <pre>
 *  15      12 11                     0
 * +----------+------------------------+
 * |generation|          tag           |
 * +----------+------------------------+
 * </pre>
 */
public final class CommandIds {
    public static final int TAG_BITS = 12;
    /** Tags per queue at most (queue sizes stay well below). */
    public static final int MAX_TAGS = 1 << TAG_BITS;
    public static final int TAG_MASK = MAX_TAGS - 1;
    public static final int GENERATION_MASK = 0xF;

    private CommandIds() {
    }

    /** The CID of {@code tag} in {@code generation} (taken modulo 16). */
    public static int of(int tag, int generation) {
        return (generation & GENERATION_MASK) << TAG_BITS | (tag & TAG_MASK);
    }

    /** The tag a CID names. */
    public static int tag(int cid) {
        return cid & TAG_MASK;
    }

    /** The generation a CID carries. */
    public static int generation(int cid) {
        return (cid >>> TAG_BITS) & GENERATION_MASK;
    }
}
