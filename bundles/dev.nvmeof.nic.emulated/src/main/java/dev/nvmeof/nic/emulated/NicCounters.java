package dev.nvmeof.nic.emulated;

/**
 * A snapshot of a NIC function's counters, summed over its queue pairs since it started.
 *
 * @param pdusIn                  NVMe/TCP PDUs received
 * @param pdusOut                 NVMe/TCP PDUs sent
 * @param bytesIn                 bytes read from sockets
 * @param bytesOut                bytes written to sockets
 * @param digestErrors            received PDUs whose data digest did not match
 * @param connectionsReset        live connections lost (reset, closed by the peer, link down, injected)
 * @param completionsDropped      completions discarded by fault injection
 * @param doorbellWakeups         times a doorbell woke the engine from its select (at most once per batch)
 * @param completionNotifications times the engine called a {@link QueuePairListener} (once per batch)
 */
public record NicCounters(long pdusIn, long pdusOut, long bytesIn, long bytesOut, long digestErrors,
        long connectionsReset, long completionsDropped, long doorbellWakeups, long completionNotifications) {
}
