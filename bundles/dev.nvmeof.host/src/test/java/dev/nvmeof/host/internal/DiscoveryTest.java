package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogEntryFlyweight;
import dev.nvmeof.protocol.DiscoveryLogPageFlyweight;

/** Reading the Discovery Log Page (header, page by NUMREC, GENCTR checks) and the options of its entries. */
class DiscoveryTest {

    private static DiscoveryLogEntry nvm(String nqn, String port) {
        return DiscoveryLogEntry.tcp(DiscoveryLogEntryFlyweight.ADRFAM_IPV4, DiscoveryLogEntryFlyweight.SUBTYPE_NVM, 1,
                32, "127.0.0.1", port, nqn);
    }

    /** A target's log: the page it serves now, which a test may change between reads; records each read. */
    private static final class ScriptedLog implements Discovery.LogReader {
        ByteBuffer page;
        final List<String> reads = new ArrayList<>();
        Runnable afterRead = () -> { };

        void serve(long genctr, List<DiscoveryLogEntry> entries) {
            page = ByteBuffer.allocate((int) DiscoveryLogPageFlyweight.requiredLength(entries.size()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            new DiscoveryLogPageFlyweight().wrap(page, 0).write(genctr, entries);
        }

        @Override
        public void read(ByteBuffer into, long lpo) {
            reads.add(lpo + "+" + into.remaining());
            for (int i = 0; i < into.remaining(); i++) {
                int at = (int) lpo + i;
                into.put(into.position() + i, at < page.limit() ? page.get(at) : 0);
            }
            afterRead.run();
        }
    }

    @Test
    void shouldReadTheHeaderThenTheWholePageWhenItFitsOneCommand() throws Exception {
        ScriptedLog log = new ScriptedLog();
        List<DiscoveryLogEntry> entries = List.of(nvm("a", "4420"), nvm("b", "4421"));
        log.serve(7, entries);

        assertEquals(entries, Discovery.readLog("nvme0", 1 << 20, log));
        assertEquals(List.of("0+1024", "0+3072"), log.reads);
    }

    @Test
    void shouldReadInPiecesAndCheckTheGenerationAgainWhenThePageIsLargerThanATransfer() throws Exception {
        ScriptedLog log = new ScriptedLog();
        List<DiscoveryLogEntry> entries = List.of(nvm("a", "4420"), nvm("b", "4421"), nvm("c", "4422"));
        log.serve(7, entries);

        assertEquals(entries, Discovery.readLog("nvme0", 2048, log));
        assertEquals(List.of("0+1024", "0+2048", "2048+2048", "0+1024"), log.reads);
    }

    @Test
    void shouldReadAgainWhenTheLogChangesBetweenHeaderAndPage() throws Exception {
        ScriptedLog log = new ScriptedLog();
        log.serve(1, List.of(nvm("a", "4420")));
        List<DiscoveryLogEntry> changed = List.of(nvm("a", "4420"), nvm("b", "4421"));
        log.afterRead = () -> {
            if (log.reads.size() == 1) {
                log.serve(2, changed); // a subsystem was added after the first header was read
            }
        };

        assertEquals(changed, Discovery.readLog("nvme0", 1 << 20, log));
        assertEquals(List.of("0+1024", "0+2048", "0+1024", "0+3072"), log.reads);
    }

    @Test
    void shouldGiveUpWhenTheLogChangesOnEveryRead() {
        ScriptedLog log = new ScriptedLog();
        log.serve(1, List.of(nvm("a", "4420")));
        long[] generation = {1};
        log.afterRead = () -> log.serve(++generation[0], List.of(nvm("a", "4420")));

        NvmeTransportException e = assertThrows(NvmeTransportException.class,
                () -> Discovery.readLog("nvme0", 1 << 20, log));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
        assertEquals(2 * Discovery.MAX_RETRIES, log.reads.size());
    }

    @Test
    void shouldReturnNothingWhenTheLogIsEmpty() throws Exception {
        ScriptedLog log = new ScriptedLog();
        log.serve(3, List.of());

        assertEquals(List.of(), Discovery.readLog("nvme0", 4096, log));
        assertEquals(List.of("0+1024"), log.reads);
    }

    @Test
    void shouldRefuseAPageWhenNumrecIsAbsurd() {
        ScriptedLog log = new ScriptedLog();
        log.serve(3, List.of());
        new DiscoveryLogPageFlyweight().wrap(log.page, 0).numrec(-1L);

        assertThrows(NvmeTransportException.class, () -> Discovery.readLog("nvme0", 4096, log));
    }

    @Test
    void shouldConnectAnEntryWithTheDiscoveryHostAndTimeoutsWhenBuildingItsOptions() throws Exception {
        ConnectOptions discovery = ConnectOptions.parse("transport=tcp,traddr=10.0.0.1,nqn="
                + ConnectOptions.DISCOVERY_NQN + ",hostnqn=nqn.2014-08.org.nvmexpress:uuid:h,reconnect_delay=2,"
                + "ctrl_loss_tmo=30,hdr_digest");

        ConnectOptions options = Discovery.entryOptions(discovery, nvm("testnqn", "4421"));

        assertFalse(options.discovery());
        assertEquals("tcp", options.transport());
        assertEquals("127.0.0.1", options.traddr());
        assertEquals(4421, options.trsvcid());
        assertEquals("testnqn", options.nqn());
        assertEquals("nqn.2014-08.org.nvmexpress:uuid:h", options.hostnqn());
        assertEquals(2, options.reconnectDelay());
        assertEquals(30, options.ctrlLossTmo());
        assertTrue(options.hdrDigest());
        assertFalse(options.duplicateConnect());
    }

    @Test
    void shouldConnectOnlyTcpNvmSubsystemsWhenConnectingAll() {
        assertTrue(Discovery.connectable(nvm("a", "4420")));
        assertFalse(Discovery.connectable(DiscoveryLogEntry.tcp(DiscoveryLogEntryFlyweight.ADRFAM_IPV4,
                DiscoveryLogEntryFlyweight.SUBTYPE_CURRENT_DISCOVERY, 1, 32, "127.0.0.1", "8009",
                ConnectOptions.DISCOVERY_NQN)));
        DiscoveryLogEntry rdma = nvm("a", "4420");
        assertFalse(Discovery.connectable(new DiscoveryLogEntry(DiscoveryLogEntryFlyweight.TRTYPE_RDMA, rdma.adrfam(),
                rdma.subtype(), rdma.treq(), rdma.portid(), rdma.cntlid(), rdma.asqsz(), rdma.eflags(),
                rdma.trsvcid(), rdma.subnqn(), rdma.traddr(), rdma.sectype())));
    }

    @Test
    void shouldRefuseAnEntryWhenItsPortIsNotANumber() {
        assertThrows(InvalidOptionException.class, () -> Discovery.entryOptions(ConnectOptions.parse(
                "transport=tcp,traddr=10.0.0.1,nqn=" + ConnectOptions.DISCOVERY_NQN), nvm("a", "rdma-port")));
    }

    @Test
    void shouldMakeADiscoveryControllerWhenTheOptionsNameAnotherNqn() throws Exception {
        ConnectOptions options = Discovery.discoveryOptions(ConnectOptions.parse(
                "transport=tcp,traddr=10.0.0.1,nqn=nqn.2024-01.example:unique-discovery"));

        assertTrue(options.discovery());
        assertEquals(ConnectOptions.DEFAULT_DISCOVERY_PORT, options.trsvcid());
    }
}
