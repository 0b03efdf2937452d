package dev.nvmeof.protocol;

/**
 * One Error Information log entry (Log Identifier 01h, NVM Express Base 2.0 section 5.16.1.2) as an immutable value.
 * The byte layout is in {@link ErrorLogEntryFlyweight}.
 *
 * @param errorCount             unique error count, raw unsigned 64 bits; 0 marks an invalid entry
 * @param sqid                   submission queue ID, FFFFh if not specific to a command
 * @param cid                    command ID, FFFFh if not specific to a command
 * @param status                 bits 15:1 the status field of the completion, bit 0 the phase tag
 * @param parameterErrorLocation bits 10:8 the bit, 7:0 the byte of the command in error; FFFFh if not applicable
 * @param lba                    first LBA in error, raw unsigned 64 bits
 * @param nsid                   namespace, raw unsigned 32 bits
 * @param vendorSpecificLogPage  log page holding vendor specific information, 0 if none
 * @param trtype                 transport type, as TRTYPE of the discovery log; 0 if not transport related
 * @param csi                    command set identifier of the command
 * @param opcode                 opcode of the command
 * @param commandSpecific        command specific information
 * @param transportSpecific      transport type specific information
 * @param logPageVersion         1 if {@code csi} and {@code opcode} are valid (NVMe 2.1), else 0
 */
public record ErrorLogEntry(long errorCount, int sqid, int cid, int status, int parameterErrorLocation, long lba,
        int nsid, int vendorSpecificLogPage, int trtype, int csi, int opcode, long commandSpecific,
        int transportSpecific, int logPageVersion) {

    public ErrorLogEntry {
        StructText.checkUnsigned("sqid", sqid, 16);
        StructText.checkUnsigned("cid", cid, 16);
        StructText.checkUnsigned("status", status, 16);
        StructText.checkUnsigned("parameterErrorLocation", parameterErrorLocation, 16);
        StructText.checkUnsigned("vendorSpecificLogPage", vendorSpecificLogPage, 8);
        StructText.checkUnsigned("trtype", trtype, 8);
        StructText.checkUnsigned("csi", csi, 8);
        StructText.checkUnsigned("opcode", opcode, 8);
        StructText.checkUnsigned("transportSpecific", transportSpecific, 16);
        StructText.checkUnsigned("logPageVersion", logPageVersion, 8);
    }

    /** The 15-bit status field (SCT, SC, CRD, M, DNR) without the phase tag. */
    public int statusField() {
        return status >>> 1;
    }

    /** The phase tag the controller posted with the completion. */
    public boolean phaseTag() {
        return (status & 1) != 0;
    }
}
