package dev.nvmeof.protocol;

import java.util.Arrays;

/**
 * Command Specific Status values, SCT 1h (NVMe Base 2.0, "Command Specific Status Values") and the Fabrics command values from 80h
 * (NVMe over Fabrics 1.1, "Fabrics Command Status Values"; 90h and 91h from NVMe Base 2.0).
 *
 * <p>From 80h the meaning depends on the command: for Connect, Disconnect and Authentication they are the Fabrics values
 * named here; for NVM I/O commands 80h, 81h and 82h mean Conflicting Attributes, Invalid Protection Information and
 * Attempted Write to Read Only Range (NVM Command Set 1.0, "Status Code - Command Specific Status Values"). A single lookup table cannot hold both; this enum
 * holds the Fabrics names because this stack meets them first, and callers that complete I/O read the raw code.
 *
 * <p>{@link #of(int)} never throws: a code this enum does not name maps to {@link #UNKNOWN}, whose
 * {@link #code()} is -1. Keep the raw code (as {@link NvmeStatus} does) when it must survive.
 */
public enum CommandSpecificStatus {
    COMPLETION_QUEUE_INVALID(0x00, "Completion Queue Invalid"),
    INVALID_QUEUE_IDENTIFIER(0x01, "Invalid Queue Identifier"),
    INVALID_QUEUE_SIZE(0x02, "Invalid Queue Size"),
    ABORT_COMMAND_LIMIT_EXCEEDED(0x03, "Abort Command Limit Exceeded"),
    ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED(0x05, "Asynchronous Event Request Limit Exceeded"),
    INVALID_FIRMWARE_SLOT(0x06, "Invalid Firmware Slot"),
    INVALID_FIRMWARE_IMAGE(0x07, "Invalid Firmware Image"),
    INVALID_INTERRUPT_VECTOR(0x08, "Invalid Interrupt Vector"),
    INVALID_LOG_PAGE(0x09, "Invalid Log Page"),
    INVALID_FORMAT(0x0A, "Invalid Format"),
    FIRMWARE_ACTIVATION_REQUIRES_CONVENTIONAL_RESET(0x0B, "Firmware Activation Requires Conventional Reset"),
    INVALID_QUEUE_DELETION(0x0C, "Invalid Queue Deletion"),
    FEATURE_NOT_SAVEABLE(0x0D, "Feature Identifier Not Saveable"),
    FEATURE_NOT_CHANGEABLE(0x0E, "Feature Not Changeable"),
    FEATURE_NOT_NAMESPACE_SPECIFIC(0x0F, "Feature Not Namespace Specific"),
    FIRMWARE_ACTIVATION_REQUIRES_NSSR(0x10, "Firmware Activation Requires NVM Subsystem Reset"),
    FIRMWARE_ACTIVATION_REQUIRES_RESET(0x11, "Firmware Activation Requires Controller Level Reset"),
    FIRMWARE_ACTIVATION_REQUIRES_MAXIMUM_TIME_VIOLATION(0x12, "Firmware Activation Requires Maximum Time Violation"),
    FIRMWARE_ACTIVATION_PROHIBITED(0x13, "Firmware Activation Prohibited"),
    OVERLAPPING_RANGE(0x14, "Overlapping Range"),
    NAMESPACE_INSUFFICIENT_CAPACITY(0x15, "Namespace Insufficient Capacity"),
    NAMESPACE_IDENTIFIER_UNAVAILABLE(0x16, "Namespace Identifier Unavailable"),
    NAMESPACE_ALREADY_ATTACHED(0x18, "Namespace Already Attached"),
    NAMESPACE_IS_PRIVATE(0x19, "Namespace Is Private"),
    NAMESPACE_NOT_ATTACHED(0x1A, "Namespace Not Attached"),
    THIN_PROVISIONING_NOT_SUPPORTED(0x1B, "Thin Provisioning Not Supported"),
    CONTROLLER_LIST_INVALID(0x1C, "Controller List Invalid"),
    DEVICE_SELF_TEST_IN_PROGRESS(0x1D, "Device Self-test In Progress"),
    BOOT_PARTITION_WRITE_PROHIBITED(0x1E, "Boot Partition Write Prohibited"),
    INVALID_CONTROLLER_IDENTIFIER(0x1F, "Invalid Controller Identifier"),
    INVALID_SECONDARY_CONTROLLER_STATE(0x20, "Invalid Secondary Controller State"),
    INVALID_NUMBER_OF_CONTROLLER_RESOURCES(0x21, "Invalid Number of Controller Resources"),
    INVALID_RESOURCE_IDENTIFIER(0x22, "Invalid Resource Identifier"),
    SANITIZE_PROHIBITED_WHILE_PMR_ENABLED(0x23, "Sanitize Prohibited While Persistent Memory Region is Enabled"),
    ANA_GROUP_IDENTIFIER_INVALID(0x24, "ANA Group Identifier Invalid"),
    ANA_ATTACH_FAILED(0x25, "ANA Attach Failed"),
    INSUFFICIENT_CAPACITY(0x26, "Insufficient Capacity"),
    NAMESPACE_ATTACHMENT_LIMIT_EXCEEDED(0x27, "Namespace Attachment Limit Exceeded"),
    PROHIBITION_OF_COMMAND_EXECUTION_NOT_SUPPORTED(0x28, "Prohibition of Command Execution Not Supported"),
    IO_COMMAND_SET_NOT_SUPPORTED(0x29, "I/O Command Set Not Supported"),
    IO_COMMAND_SET_NOT_ENABLED(0x2A, "I/O Command Set Not Enabled"),
    IO_COMMAND_SET_COMBINATION_REJECTED(0x2B, "I/O Command Set Combination Rejected"),
    INVALID_IO_COMMAND_SET(0x2C, "Invalid I/O Command Set"),
    IDENTIFIER_UNAVAILABLE(0x2D, "Identifier Unavailable"),
    /** Fabrics commands from here on. */
    CONNECT_INCOMPATIBLE_FORMAT(0x80, "Connect Incompatible Format"),
    CONNECT_CONTROLLER_BUSY(0x81, "Connect Controller Busy"),
    CONNECT_INVALID_PARAMETERS(0x82, "Connect Invalid Parameters"),
    CONNECT_RESTART_DISCOVERY(0x83, "Connect Restart Discovery"),
    CONNECT_INVALID_HOST(0x84, "Connect Invalid Host"),
    INVALID_QUEUE_TYPE(0x85, "Invalid Queue Type"),
    DISCOVERY_RESTART(0x90, "Discovery Restart"),
    AUTHENTICATION_REQUIRED(0x91, "Authentication Required"),
    /** Any code not named above. */
    UNKNOWN(-1, "Unknown Command Specific Status");

    private static final CommandSpecificStatus[] BY_CODE = new CommandSpecificStatus[256];

    static {
        Arrays.fill(BY_CODE, UNKNOWN);
        for (CommandSpecificStatus value : values()) {
            if (value != UNKNOWN) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;
    private final String description;

    CommandSpecificStatus(int code, String description) {
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
    public static CommandSpecificStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
