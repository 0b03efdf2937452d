package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.nvmeof.api.AdminPassthru;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.ErrorLogEntry;
import dev.nvmeof.protocol.ErrorLogEntryFlyweight;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.SmartLog;
import dev.nvmeof.protocol.SmartLogFlyweight;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;

/**
 * What nvme-cli asks of a controller besides I/O: Identify Namespace, log pages and admin passthrough, each one admin
 * command (or a few, for a log longer than the transfer size) on the LIVE controller's admin queue.
 */
final class AdminTools {
    private final RequestRouter requests;

    AdminTools(RequestRouter requests) {
        this.requests = requests;
    }

    IdentifyNamespace identifyNamespace(int nsid) throws NvmeException {
        ByteBuffer data = buffer(IdentifyNamespaceFlyweight.LENGTH);
        requests.adminCommand(new AdminCommand("Identify Namespace", (sqe, cid) -> AdminCommands.identify(sqe, cid,
                IdentifyCns.NAMESPACE, nsid), data, DataDirection.CONTROLLER_TO_HOST));
        return new IdentifyNamespaceFlyweight().wrap(data, 0).toRecord();
    }

    byte[] logPage(int logId, int nsid, int length, long offset) throws NvmeException {
        if (length < 4 || (length & 3) != 0 || offset < 0 || (offset & 3) != 0) {
            throw new IllegalArgumentException("a log page is read in dwords: length " + length + " and offset "
                    + offset + " must be multiples of 4 (length at least 4)");
        }
        byte[] page = new byte[length];
        int chunk = Math.max(4, requests.maxTransferSize() & ~3);
        for (int done = 0; done < length; done += chunk) {
            int part = Math.min(chunk, length - done);
            long lpo = offset + done;
            ByteBuffer into = buffer(part);
            requests.adminCommand(new AdminCommand("Get Log Page", (sqe, cid) -> AdminCommands.getLogPage(sqe, cid,
                    logId, nsid, part, lpo, true), into, DataDirection.CONTROLLER_TO_HOST));
            into.get(0, page, done, part);
        }
        return page;
    }

    SmartLog smartLog(int nsid) throws NvmeException {
        return new SmartLogFlyweight().wrap(page(LogPageId.SMART, nsid, SmartLogFlyweight.LENGTH), 0)
                .toRecord();
    }

    List<ErrorLogEntry> errorLog(int entries) throws NvmeException {
        if (entries < 1) {
            throw new IllegalArgumentException("at least one error log entry, not " + entries);
        }
        ByteBuffer page = page(LogPageId.ERROR, NSID_ALL, entries * ErrorLogEntryFlyweight.LENGTH);
        List<ErrorLogEntry> list = new ArrayList<>(entries);
        ErrorLogEntryFlyweight entry = new ErrorLogEntryFlyweight();
        for (int i = 0; i < entries; i++) {
            list.add(entry.wrap(page, i * ErrorLogEntryFlyweight.LENGTH).toRecord());
        }
        return list;
    }

    int[] changedNamespaces() throws NvmeException {
        ChangedNamespaceListFlyweight list = new ChangedNamespaceListFlyweight()
                .wrap(page(LogPageId.CHANGED_NAMESPACE_LIST, NSID_ALL, ChangedNamespaceListFlyweight.LENGTH), 0);
        return list.overflowed() ? new int[] {-1} : list.toArray();
    }

    int adminPassthru(AdminPassthru command) throws NvmeException {
        ByteBuffer data = command.data();
        if (data != null && data.remaining() > requests.maxTransferSize()) {
            throw new IllegalArgumentException("data of " + data.remaining() + " bytes exceeds the controller's "
                    + "transfer size of " + requests.maxTransferSize());
        }
        String step = String.format("Admin command %02xh", command.opcode());
        return (int) requests.adminCommand(new AdminCommand(step, (sqe, cid) -> write(sqe, cid, command),
                data == null ? null : data.slice(), command.direction()));
    }

    private static void write(SubmissionQueueEntryFlyweight sqe, int cid, AdminPassthru command) {
        sqe.clear().opcode(command.opcode()).psdt(SubmissionQueueEntryFlyweight.PSDT_SGL_METADATA_BUFFER).cid(cid)
                .nsid(command.nsid());
        for (int n = 10; n <= 15; n++) {
            sqe.cdw(n, command.cdw(n));
        }
        if (command.data() != null) {
            sqe.sglTransportDataBlock(command.data().remaining());
        } else {
            sqe.sglNull();
        }
    }

    private ByteBuffer page(LogPageId id, int nsid, int length) throws NvmeException {
        return ByteBuffer.wrap(logPage(id.code(), nsid, length, 0)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer buffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static final int NSID_ALL = 0xFFFF_FFFF;
}
