package dev.nvmeof.protocol;

import java.nio.ByteBuffer;

/**
 * One Error Information log entry (Log Identifier 01h), NVM Express Base 2.0 section 5.16.1.2: 64 bytes,
 * little-endian. The log page is an array of them, entry {@code i} at {@code i * 64}; ELPE + 1 entries at most.
 *
 * <pre>
 *  offset  size  field
 *       0     8  ERROR COUNT               0 = invalid entry
 *       8     2  SQID                      FFFFh if not specific to a command
 *      10     2  CID                       FFFFh if not specific to a command
 *      12     2  STATUS                    15:1 status field, 0 phase tag
 *      14     2  PARAMETER ERROR LOCATION  10:8 bit, 7:0 byte; FFFFh if not applicable
 *      16     8  LBA
 *      24     4  NSID
 *      28     1  VENDOR SPECIFIC INFORMATION AVAILABLE (a log page identifier)
 *      29     1  TRTYPE
 *      30     1  CSI                       command set identifier
 *      31     1  OPCODE                    (NVMe 2.1; valid when LOG PAGE VERSION is 1)
 *      32     8  COMMAND SPECIFIC INFORMATION
 *      40     2  TRANSPORT TYPE SPECIFIC INFORMATION
 *      42    21  reserved
 *      63     1  LOG PAGE VERSION          (NVMe 2.1)
 * </pre>
 */
public final class ErrorLogEntryFlyweight extends StructFlyweight<ErrorLogEntryFlyweight> {
    public static final int LENGTH = 64;

    public static final int ERROR_COUNT_OFFSET = 0;
    public static final int SQID_OFFSET = 8;
    public static final int CID_OFFSET = 10;
    public static final int STATUS_OFFSET = 12;
    public static final int PARAMETER_ERROR_LOCATION_OFFSET = 14;
    public static final int LBA_OFFSET = 16;
    public static final int NSID_OFFSET = 24;
    public static final int VS_OFFSET = 28;
    public static final int TRTYPE_OFFSET = 29;
    public static final int CSI_OFFSET = 30;
    public static final int OPCODE_OFFSET = 31;
    public static final int CS_OFFSET = 32;
    public static final int TRTYPE_SPECIFIC_OFFSET = 40;
    public static final int LOG_PAGE_VERSION_OFFSET = 63;

    /** SQID, CID and PARAMETER ERROR LOCATION when they do not apply. */
    public static final int NOT_APPLICABLE = 0xFFFF;

    /** Views the 64 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public ErrorLogEntryFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    public long errorCount() { return u64(ERROR_COUNT_OFFSET); }
    public ErrorLogEntryFlyweight errorCount(long v) { return u64(ERROR_COUNT_OFFSET, v); }
    public int sqid() { return u16(SQID_OFFSET); }
    public ErrorLogEntryFlyweight sqid(int v) { return u16(SQID_OFFSET, v); }
    public int cid() { return u16(CID_OFFSET); }
    public ErrorLogEntryFlyweight cid(int v) { return u16(CID_OFFSET, v); }
    /** STATUS: bits 15:1 the status field, bit 0 the phase tag. */
    public int status() { return u16(STATUS_OFFSET); }
    public ErrorLogEntryFlyweight status(int v) { return u16(STATUS_OFFSET, v); }
    public int parameterErrorLocation() { return u16(PARAMETER_ERROR_LOCATION_OFFSET); }
    public ErrorLogEntryFlyweight parameterErrorLocation(int v) { return u16(PARAMETER_ERROR_LOCATION_OFFSET, v); }
    public long lba() { return u64(LBA_OFFSET); }
    public ErrorLogEntryFlyweight lba(long v) { return u64(LBA_OFFSET, v); }
    public int nsid() { return u32(NSID_OFFSET); }
    public ErrorLogEntryFlyweight nsid(int v) { return u32(NSID_OFFSET, v); }
    public int vendorSpecificLogPage() { return u8(VS_OFFSET); }
    public ErrorLogEntryFlyweight vendorSpecificLogPage(int v) { return u8(VS_OFFSET, v); }
    public int trtype() { return u8(TRTYPE_OFFSET); }
    public ErrorLogEntryFlyweight trtype(int v) { return u8(TRTYPE_OFFSET, v); }
    public int csi() { return u8(CSI_OFFSET); }
    public ErrorLogEntryFlyweight csi(int v) { return u8(CSI_OFFSET, v); }
    public int opcode() { return u8(OPCODE_OFFSET); }
    public ErrorLogEntryFlyweight opcode(int v) { return u8(OPCODE_OFFSET, v); }
    public long commandSpecific() { return u64(CS_OFFSET); }
    public ErrorLogEntryFlyweight commandSpecific(long v) { return u64(CS_OFFSET, v); }
    public int transportSpecific() { return u16(TRTYPE_SPECIFIC_OFFSET); }
    public ErrorLogEntryFlyweight transportSpecific(int v) { return u16(TRTYPE_SPECIFIC_OFFSET, v); }
    public int logPageVersion() { return u8(LOG_PAGE_VERSION_OFFSET); }
    public ErrorLogEntryFlyweight logPageVersion(int v) { return u8(LOG_PAGE_VERSION_OFFSET, v); }

    public ErrorLogEntry toRecord() {
        return new ErrorLogEntry(errorCount(), sqid(), cid(), status(), parameterErrorLocation(), lba(), nsid(),
                vendorSpecificLogPage(), trtype(), csi(), opcode(), commandSpecific(), transportSpecific(),
                logPageVersion());
    }

    /** Clears the entry and encodes {@code r}. */
    public ErrorLogEntryFlyweight write(ErrorLogEntry r) {
        zero(0, LENGTH);
        return errorCount(r.errorCount()).sqid(r.sqid()).cid(r.cid()).status(r.status())
                .parameterErrorLocation(r.parameterErrorLocation()).lba(r.lba()).nsid(r.nsid())
                .vendorSpecificLogPage(r.vendorSpecificLogPage()).trtype(r.trtype()).csi(r.csi()).opcode(r.opcode())
                .commandSpecific(r.commandSpecific()).transportSpecific(r.transportSpecific())
                .logPageVersion(r.logPageVersion());
    }
}
