package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Generic Command Status values, SCT 0h (NVMe Base 2.0, "Generic Command Status Values") and the NVM Command Set's own generic
 * values from 80h (NVM Command Set 1.0, "Status Code - Generic Command Status Values"). Values checked against the Base 2.0 figure and the Linux
 * kernel's and libnvme's {@code nvme.h} / {@code types.h}.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum GenericStatus {
    SUCCESS(0x00, "Successful Completion"),
    INVALID_OPCODE(0x01, "Invalid Command Opcode"),
    INVALID_FIELD(0x02, "Invalid Field in Command"),
    COMMAND_ID_CONFLICT(0x03, "Command ID Conflict"),
    DATA_TRANSFER_ERROR(0x04, "Data Transfer Error"),
    ABORTED_POWER_LOSS(0x05, "Commands Aborted due to Power Loss Notification"),
    INTERNAL_ERROR(0x06, "Internal Error"),
    ABORT_REQUESTED(0x07, "Command Abort Requested"),
    ABORTED_SQ_DELETION(0x08, "Command Aborted due to SQ Deletion"),
    ABORTED_FUSED_FAIL(0x09, "Command Aborted due to Failed Fused Command"),
    ABORTED_FUSED_MISSING(0x0A, "Command Aborted due to Missing Fused Command"),
    INVALID_NAMESPACE(0x0B, "Invalid Namespace or Format"),
    COMMAND_SEQUENCE_ERROR(0x0C, "Command Sequence Error"),
    INVALID_SGL_SEGMENT_DESCRIPTOR(0x0D, "Invalid SGL Segment Descriptor"),
    INVALID_NUMBER_OF_SGL_DESCRIPTORS(0x0E, "Invalid Number of SGL Descriptors"),
    DATA_SGL_LENGTH_INVALID(0x0F, "Data SGL Length Invalid"),
    METADATA_SGL_LENGTH_INVALID(0x10, "Metadata SGL Length Invalid"),
    SGL_DESCRIPTOR_TYPE_INVALID(0x11, "SGL Descriptor Type Invalid"),
    INVALID_USE_OF_CMB(0x12, "Invalid Use of Controller Memory Buffer"),
    PRP_OFFSET_INVALID(0x13, "PRP Offset Invalid"),
    ATOMIC_WRITE_UNIT_EXCEEDED(0x14, "Atomic Write Unit Exceeded"),
    OPERATION_DENIED(0x15, "Operation Denied"),
    SGL_OFFSET_INVALID(0x16, "SGL Offset Invalid"),
    /** Named in NVMe 1.3 and by Linux; reserved from NVMe 1.4 on. */
    SGL_SUBTYPE_INVALID(0x17, "SGL Sub Type Invalid"),
    HOST_IDENTIFIER_INCONSISTENT_FORMAT(0x18, "Host Identifier Inconsistent Format"),
    KEEP_ALIVE_TIMER_EXPIRED(0x19, "Keep Alive Timer Expired"),
    KEEP_ALIVE_TIMEOUT_INVALID(0x1A, "Keep Alive Timeout Invalid"),
    ABORTED_PREEMPT_AND_ABORT(0x1B, "Command Aborted due to Preempt and Abort"),
    SANITIZE_FAILED(0x1C, "Sanitize Failed"),
    SANITIZE_IN_PROGRESS(0x1D, "Sanitize In Progress"),
    SGL_DATA_BLOCK_GRANULARITY_INVALID(0x1E, "SGL Data Block Granularity Invalid"),
    COMMAND_NOT_SUPPORTED_FOR_QUEUE_IN_CMB(0x1F, "Command Not Supported for Queue in CMB"),
    NAMESPACE_WRITE_PROTECTED(0x20, "Namespace is Write Protected"),
    COMMAND_INTERRUPTED(0x21, "Command Interrupted"),
    TRANSIENT_TRANSPORT_ERROR(0x22, "Transient Transport Error"),
    PROHIBITED_BY_LOCKDOWN(0x23, "Command Prohibited by Command and Feature Lockdown"),
    ADMIN_COMMAND_MEDIA_NOT_READY(0x24, "Admin Command Media Not Ready"),
    /** NVM Command Set from here on. */
    LBA_OUT_OF_RANGE(0x80, "LBA Out of Range"),
    CAPACITY_EXCEEDED(0x81, "Capacity Exceeded"),
    NAMESPACE_NOT_READY(0x82, "Namespace Not Ready"),
    RESERVATION_CONFLICT(0x83, "Reservation Conflict"),
    FORMAT_IN_PROGRESS(0x84, "Format In Progress"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Generic Status");

    private static final GenericStatus[] BY_CODE = new GenericStatus[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (GenericStatus value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    GenericStatus(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The value on the wire, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The name the specification gives the value. */
    public String description() {
        return description;
    }

    /** The constant for {@code code}, or {@link #UNKNOWN}; never null, never throws. */
    public static GenericStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
