package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AdminOpcode;
import dev.nvmeof.protocol.Capabilities;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.ControllerConfiguration;
import dev.nvmeof.protocol.ControllerProperty;
import dev.nvmeof.protocol.ControllerStatus;
import dev.nvmeof.protocol.DsmRangeFlyweight;
import dev.nvmeof.protocol.FabricsCommandType;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.FeatureId;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LbaFormat;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.NvmCommands;
import dev.nvmeof.protocol.NvmOpcode;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SubmissionQueueEntryFlyweight;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * An in-memory NVMe controller for component tests: CAP/VS/CC/CSTS properties, Identify, Number of Queues, Keep
 * Alive, and one RAM namespace (NSID 1) serving Read, Write, Flush, Write Zeroes and Dataset Management. The
 * properties start over with every association (a new controller of the dynamic model); the namespace's data stays.
 * The I/O path allocates nothing. Namespaces without data can be added and removed ({@link #addNamespace}); they
 * are listed by Identify and in the Changed Namespace List (Get Log Page 04h), and {@link FakeTransport} completes
 * the held Asynchronous Event Request with the notice.
 */
final class FakeTarget {
    static final int NSID = 1;

    int mqes = 127;
    int capTimeout = 2; // CAP.TO: 1 s
    int version = 0x20000;
    int mdts = 0; // 0: no limit
    /** Whether Connect answers that the queue must authenticate (AUTHREQ.ATR), which this fake cannot do. */
    boolean requireAuthentication;
    int maxcmd = 0;
    int ioccsz = 0x104;
    int grantedQueues = 64;
    int sgls = 1;
    /** CSTS.RDY after this many CSTS reads with EN set; -1: never. */
    int readyAfterPolls = 0;
    int blockSize = 512;
    long blocks = 2048;

    /** OAES in Identify Controller; 0: the host does not configure asynchronous events. */
    int oaes;
    /** What Set Features Asynchronous Event Configuration set last; -1: never. */
    int asyncEventConfig = -1;
    /** Namespaces by NSID (blocks); NSID 1 is the one with data. */
    private final java.util.TreeMap<Integer, Long> namespaces = new java.util.TreeMap<>();
    private final java.util.TreeSet<Integer> changed = new java.util.TreeSet<>();
    /** Changed Namespace List reads with RAE cleared. */
    int changedLogReads;
    private final ByteBuffer ram;
    private int cc;
    private int cstsPolls;
    private int nextCntlid = 1;
    int cntlid;
    int lastKatoMillis = -1;
    String lastHostNqn;

    FakeTarget(long blocks, int blockSize) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.ram = ByteBuffer.allocate((int) (blocks * blockSize)).order(ByteOrder.LITTLE_ENDIAN);
        namespaces.put(NSID, blocks);
    }

    /** Adds (or resizes) a namespace without data and lists it as changed. */
    synchronized void addNamespace(int nsid, long size) {
        namespaces.put(nsid, size);
        changed.add(nsid);
    }

    synchronized void removeNamespace(int nsid) {
        namespaces.remove(nsid);
        changed.add(nsid);
    }

    ByteBuffer ram() {
        return ram;
    }

    synchronized void newAssociation() {
        cc = 0;
        cstsPolls = 0;
        cntlid = nextCntlid++;
    }

    /** Executes the request's command and sets its completion. */
    synchronized void execute(int qid, TransportRequest r) {
        SubmissionQueueEntryFlyweight sqe = r.sqe();
        if (sqe.opcode() == AdminOpcode.FABRICS.code()) {
            fabrics(r, sqe);
        } else if (qid == 0) {
            admin(r, sqe);
        } else {
            io(r, sqe);
        }
    }

    private void fabrics(TransportRequest r, SubmissionQueueEntryFlyweight sqe) {
        int fctype = sqe.fctype();
        if (fctype == FabricsCommandType.CONNECT.code()) {
            if (FabricsCommands.qid(sqe) == 0) {
                lastKatoMillis = (int) FabricsCommands.kato(sqe);
                ByteBuffer data = r.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                lastHostNqn = new dev.nvmeof.protocol.ConnectDataFlyweight().wrap(data, 0).hostNqn();
            }
            r.complete(0, ConnectResponse.successDw0(cntlid, requireAuthentication), 0);
        } else if (fctype == FabricsCommandType.PROPERTY_GET.code()) {
            ControllerProperty property = ControllerProperty.of(FabricsCommands.propertyOffset(sqe));
            long value = switch (property) {
                case CAP -> new Capabilities(mqes, true, 0, capTimeout, 0, false, Capabilities.CSS_NVM, false, 0, 0)
                        .toLong();
                case VS -> version;
                case CC -> cc;
                case CSTS -> csts();
                default -> 0;
            };
            r.complete(0, (int) value, (int) (value >>> 32));
        } else if (fctype == FabricsCommandType.PROPERTY_SET.code()) {
            cc = (int) FabricsCommands.propertyValue(sqe);
            r.complete(0, 0, 0);
        } else {
            r.complete(status(GenericStatus.INVALID_OPCODE), 0, 0);
        }
    }

    private int csts() {
        ControllerConfiguration config = ControllerConfiguration.of(cc);
        int csts = 0;
        if (config.enable() && readyAfterPolls >= 0 && cstsPolls++ >= readyAfterPolls) {
            csts |= ControllerStatus.RDY_BIT;
        }
        if (config.shutdownNotification() != ControllerConfiguration.SHN_NONE) {
            csts |= ControllerStatus.SHST_COMPLETE << ControllerStatus.SHST_SHIFT;
        }
        return csts;
    }

    private void admin(TransportRequest r, SubmissionQueueEntryFlyweight sqe) {
        int opcode = sqe.opcode();
        if (opcode == AdminOpcode.IDENTIFY.code()) {
            ByteBuffer data = r.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int cns = AdminCommands.identifyCns(sqe);
            if (cns == IdentifyCns.CONTROLLER.code()) {
                new IdentifyControllerFlyweight().wrap(data, 0).write(IdentifyController.builder().mdts(mdts)
                        .cntlid(cntlid).maxcmd(maxcmd).ioccsz(ioccsz).nn(1024).sqes(0x66).cqes(0x44).sgls(sgls)
                        .oaes(oaes).subnqn("testnqn").build());
            } else if (cns == IdentifyCns.ACTIVE_NAMESPACE_LIST.code()) {
                new NamespaceListFlyweight().wrap(data, 0)
                        .write(namespaces.keySet().stream().mapToInt(Integer::intValue).toArray());
            } else if (cns == IdentifyCns.NAMESPACE.code() && namespaces.containsKey(sqe.nsid())) {
                new IdentifyNamespaceFlyweight().wrap(data, 0).clear().nsze(namespaces.get(sqe.nsid())).nlbaf(0)
                        .flbas(0).lbaf(0, LbaFormat.ofBlockSize(blockSize).toDword());
            } else {
                r.complete(status(GenericStatus.INVALID_FIELD), 0, 0);
                return;
            }
            r.complete(0, 0, 0);
        } else if (opcode == AdminOpcode.SET_FEATURES.code()
                && AdminCommands.featureId(sqe) == FeatureId.NUMBER_OF_QUEUES.code()) {
            int asked = (sqe.cdw11() & 0xFFFF) + 1;
            int granted = Math.min(asked, grantedQueues);
            r.complete(0, (granted - 1) | (granted - 1) << 16, 0);
        } else if (opcode == AdminOpcode.SET_FEATURES.code()
                && AdminCommands.featureId(sqe) == FeatureId.ASYNC_EVENT_CONFIG.code()) {
            asyncEventConfig = sqe.cdw11();
            r.complete(0, 0, 0);
        } else if (opcode == AdminOpcode.GET_LOG_PAGE.code()
                && AdminCommands.logPageId(sqe) == LogPageId.CHANGED_NAMESPACE_LIST.code()) {
            ByteBuffer data = r.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            new ChangedNamespaceListFlyweight().wrap(data, 0)
                    .write(changed.stream().mapToInt(Integer::intValue).toArray());
            if (!AdminCommands.isRetainAsyncEvent(sqe)) {
                changed.clear();
                changedLogReads++;
            }
            r.complete(0, 0, 0);
        } else if (opcode == AdminOpcode.KEEP_ALIVE.code()) {
            r.complete(0, 0, 0);
        } else {
            r.complete(status(GenericStatus.INVALID_OPCODE), 0, 0);
        }
    }

    private void io(TransportRequest r, SubmissionQueueEntryFlyweight sqe) {
        int opcode = sqe.opcode();
        if (opcode == NvmOpcode.FLUSH.code()) {
            r.complete(0, 0, 0);
            return;
        }
        if (opcode == NvmOpcode.DATASET_MANAGEMENT.code()) {
            ByteBuffer range = r.data();
            long slba = range.getLong(range.position() + DsmRangeFlyweight.SLBA_OFFSET);
            long nlb = range.getInt(range.position() + DsmRangeFlyweight.NLB_OFFSET) & 0xFFFF_FFFFL;
            zero(slba, nlb);
            r.complete(0, 0, 0);
            return;
        }
        long slba = NvmCommands.startingLba(sqe);
        int nlb = NvmCommands.blocks(sqe);
        if (slba + nlb > blocks) {
            r.complete(status(GenericStatus.LBA_OUT_OF_RANGE), 0, 0);
            return;
        }
        int offset = (int) (slba * blockSize);
        int length = nlb * blockSize;
        if (opcode == NvmOpcode.READ.code()) {
            ByteBuffer dst = r.data();
            dst.put(dst.position(), ram, offset, length);
        } else if (opcode == NvmOpcode.WRITE.code()) {
            ByteBuffer src = r.data();
            ram.put(offset, src, src.position(), length);
        } else if (opcode == NvmOpcode.WRITE_ZEROES.code()) {
            zero(slba, nlb);
        } else {
            r.complete(status(GenericStatus.INVALID_OPCODE), 0, 0);
            return;
        }
        r.complete(0, 0, 0);
    }

    private void zero(long slba, long nlb) {
        for (long i = slba * blockSize; i < (slba + nlb) * blockSize; i++) {
            ram.put((int) i, (byte) 0);
        }
    }

    private static int status(GenericStatus status) {
        return NvmeStatus.generic(status, true).toStatusWord(false);
    }
}
