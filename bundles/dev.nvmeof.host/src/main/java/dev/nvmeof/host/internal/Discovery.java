package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.protocol.DiscoveryLogPageFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.DataDirection;

/**
 * Discovery ({@code nvme discover}, {@code nvme connect-all}; NVMe over Fabrics 1.1 section 5.3, Discovery Log
 * Page): reading the log of a connected discovery controller, and the connect options of an entry.
 *
 * <p>The log is read as nvme-cli/libnvme reads it ({@code nvme_get_discovery_log}): the 1024-byte header for GENCTR
 * and NUMREC, then the whole page of {@code 1024 + NUMREC * 1024} bytes (in pieces of at most the controller's
 * transfer size); if GENCTR changed meanwhile the log changed under us and it is read again, at most
 * {@link #MAX_RETRIES} times.
 */
final class Discovery {
    /** Reads of a log that keeps changing before giving up (libnvme's default max_retries is 10). */
    static final int MAX_RETRIES = 10;
    /** NUMREC beyond which a page is refused rather than allocated (4 MiB). */
    static final long MAX_RECORDS = 4096;
    static final String GET_LOG_PAGE = "Get Log Page (Discovery)";

    private Discovery() {
    }

    /** The discovery options for {@code options}: as given when they name a discovery controller, else with it set. */
    static ConnectOptions discoveryOptions(ConnectOptions options) throws InvalidOptionException {
        return options.discovery() ? options : options.toBuilder().discovery(true).build();
    }

    /** Reads {@code into.remaining()} bytes of the Discovery Log Page from log page offset {@code lpo}. */
    @FunctionalInterface
    interface LogReader {
        void read(ByteBuffer into, long lpo) throws NvmeException;
    }

    /** Reads the whole Discovery Log Page of a LIVE discovery controller. */
    static List<DiscoveryLogEntry> readLog(HostController controller) throws NvmeException {
        // The most bytes one Get Log Page moves: the controller's transfer size, in dwords.
        RequestRouter requests = controller.requests();
        int chunk = Math.max(DiscoveryLogPageFlyweight.HEADER_LENGTH, requests.maxTransferSize() & ~3);
        return readLog(controller.name(), chunk, (into, lpo) -> {
            int length = into.remaining();
            requests.adminCommand(new AdminCommand(GET_LOG_PAGE, (sqe, cid) -> AdminCommands.getLogPage(sqe, cid,
                    LogPageId.DISCOVERY.code(), 0, length, lpo, false), into, DataDirection.CONTROLLER_TO_HOST));
        });
    }

    /**
     * Reads the whole page through {@code reader} in pieces of at most {@code chunk} bytes (a multiple of 4, at
     * least the header): header, page, and the header again when the page took more than one piece.
     */
    static List<DiscoveryLogEntry> readLog(String name, int chunk, LogReader reader) throws NvmeException {
        DiscoveryLogPageFlyweight view = new DiscoveryLogPageFlyweight();
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            view.wrap(read(reader, DiscoveryLogPageFlyweight.HEADER_LENGTH, chunk), 0);
            long genctr = view.genctr();
            long numrec = view.numrec();
            if (numrec < 0 || numrec > MAX_RECORDS) {
                throw NvmeTransportException.of(name + ": discovery log NUMREC " + Long.toUnsignedString(numrec)
                        + " is more than " + MAX_RECORDS, null, false, null);
            }
            if (numrec == 0) {
                return List.of();
            }
            int length = (int) DiscoveryLogPageFlyweight.requiredLength(numrec);
            view.wrap(read(reader, length, chunk), 0);
            if (view.genctr() != genctr || view.numrec() != numrec) {
                continue; // changed between the header and the page
            }
            List<DiscoveryLogEntry> entries = view.entries();
            if (length <= chunk || new DiscoveryLogPageFlyweight().wrap(read(reader,
                    DiscoveryLogPageFlyweight.HEADER_LENGTH, chunk), 0).genctr() == genctr) {
                return entries;
            }
        }
        throw NvmeTransportException.of(name + ": the discovery log changed on each of " + MAX_RETRIES + " reads",
                null, false, null);
    }

    /** Log page bytes {@code 0..length} in reads of at most {@code chunk} bytes. */
    private static ByteBuffer read(LogReader reader, int length, int chunk) throws NvmeException {
        ByteBuffer page = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < length; done += chunk) {
            reader.read(page.slice(done, Math.min(chunk, length - done)).order(ByteOrder.LITTLE_ENDIAN), done);
        }
        return page;
    }

    /** Whether connect-all connects this entry: an NVM subsystem reached over TCP. */
    static boolean connectable(DiscoveryLogEntry entry) {
        return entry.subtype() == DiscoveryLogEntryFlyweight.SUBTYPE_NVM
                && entry.trtype() == DiscoveryLogEntryFlyweight.TRTYPE_TCP;
    }

    /**
     * The options to connect {@code entry}: what was given for discovery (transport, host identity, timeouts,
     * digests, ...) with the entry's address, port and subsystem NQN, no longer a discovery controller.
     */
    static ConnectOptions entryOptions(ConnectOptions discovery, DiscoveryLogEntry entry)
            throws InvalidOptionException {
        int port;
        try {
            port = Integer.parseInt(entry.trsvcid().trim());
        } catch (NumberFormatException e) {
            throw InvalidOptionException.invalidValue("trsvcid", entry.trsvcid(),
                    "the discovery log entry for " + entry.subnqn() + " has no TCP port");
        }
        return discovery.toBuilder().clear("discovery").traddr(entry.traddr().trim()).trsvcid(port)
                .nqn(entry.subnqn()).build();
    }
}
