package dev.nvmeof.protocol;

/**
 * One Discovery Log Page entry (NVMe over Fabrics 1.1 section 5.3, Discovery Log Page) as an immutable control-plane
 * value: what a host connects to, and what a target's discovery controller reports. The byte layout is in
 * {@link DiscoveryLogEntryFlyweight}. Of the Transport Specific Address Subtype only the TCP security type is kept.
 *
 * @param trtype  transport type, e.g. {@link DiscoveryLogEntryFlyweight#TRTYPE_TCP}
 * @param adrfam  address family, e.g. {@link DiscoveryLogEntryFlyweight#ADRFAM_IPV4}
 * @param subtype subsystem type, e.g. {@link DiscoveryLogEntryFlyweight#SUBTYPE_NVM}
 * @param treq    transport requirements
 * @param portid  port ID
 * @param cntlid  controller ID, {@link DiscoveryLogEntryFlyweight#CNTLID_DYNAMIC} for the dynamic model
 * @param asqsz   admin max SQ size
 * @param eflags  entry flags
 * @param trsvcid transport service ID (the TCP port), at most 32 ASCII characters
 * @param subnqn  NVM subsystem NQN, at most 255 UTF-8 bytes
 * @param traddr  transport address, at most 256 ASCII characters
 * @param sectype TCP security type (TSAS byte 0), e.g. {@link DiscoveryLogEntryFlyweight#SECTYPE_NONE}
 */
public record DiscoveryLogEntry(int trtype, int adrfam, int subtype, int treq, int portid, int cntlid, int asqsz,
        int eflags, String trsvcid, String subnqn, String traddr, int sectype) {

    public DiscoveryLogEntry {
        StructText.checkUnsigned("trtype", trtype, 8);
        StructText.checkUnsigned("adrfam", adrfam, 8);
        StructText.checkUnsigned("subtype", subtype, 8);
        StructText.checkUnsigned("treq", treq, 8);
        StructText.checkUnsigned("portid", portid, 16);
        StructText.checkUnsigned("cntlid", cntlid, 16);
        StructText.checkUnsigned("asqsz", asqsz, 16);
        StructText.checkUnsigned("eflags", eflags, 16);
        StructText.checkAscii(trsvcid, DiscoveryLogEntryFlyweight.TRSVCID_LENGTH);
        StructText.checkUtf8(subnqn, DiscoveryLogEntryFlyweight.SUBNQN_LENGTH);
        StructText.checkAscii(traddr, DiscoveryLogEntryFlyweight.TRADDR_LENGTH);
        StructText.checkUnsigned("sectype", sectype, 8);
    }

    /**
     * An NVMe/TCP entry with the dynamic controller model, as Linux nvmet reports it: no security, secure channel not
     * required, and an admin queue of {@code asqsz} entries.
     */
    public static DiscoveryLogEntry tcp(int adrfam, int subtype, int portid, int asqsz, String traddr, String trsvcid,
            String subnqn) {
        return new DiscoveryLogEntry(DiscoveryLogEntryFlyweight.TRTYPE_TCP, adrfam, subtype,
                DiscoveryLogEntryFlyweight.TREQ_SECURE_CHANNEL_NOT_REQUIRED, portid,
                DiscoveryLogEntryFlyweight.CNTLID_DYNAMIC, asqsz, 0, trsvcid, subnqn, traddr,
                DiscoveryLogEntryFlyweight.SECTYPE_NONE);
    }
}
