package dev.nvmeof.spi.transport;

/** Which way a command's data moves. */
public enum DataDirection {
    NONE,
    /** Write-like: the host sends (in-capsule or H2CData). */
    HOST_TO_CONTROLLER,
    /** Read-like: the controller sends (C2HData), straight into the request's buffer. */
    CONTROLLER_TO_HOST
}
