package dev.nvmeof.nic.emulated;

/** Which way a command's data moves, as a submission slot states it. */
public enum DataDirection {
    /** No data. */
    NONE,
    /** The engine reads the host buffer and sends it (a write). */
    HOST_TO_CONTROLLER,
    /** The engine writes received data straight into the host buffer (a read). */
    CONTROLLER_TO_HOST
}
