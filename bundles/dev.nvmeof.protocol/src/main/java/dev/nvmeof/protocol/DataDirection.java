package dev.nvmeof.protocol;

/** Which way a command's data moves, seen from the host. */
public enum DataDirection {
    /** No data. */
    NONE,
    /** Write-like: the host sends (in-capsule data or H2CData answering R2T). */
    HOST_TO_CONTROLLER,
    /** Read-like: the controller sends (C2HData), straight into the host's buffer. */
    CONTROLLER_TO_HOST
}
