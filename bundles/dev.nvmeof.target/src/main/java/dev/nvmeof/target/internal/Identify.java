package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LbaFormat;
import dev.nvmeof.protocol.NamespaceIdDescriptor;
import dev.nvmeof.protocol.NamespaceIdDescriptorListFlyweight;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.target.NamespaceConfig;

/** Builds the Identify data structures the target returns (CNS 00h, 01h, 02h, 03h). */
final class Identify {
    static final int LENGTH = 4096;
    private static final String FIRMWARE = "0.1";
    /** ONCS: Dataset Management (bit 2) and Write Zeroes (bit 3). */
    private static final int ONCS = 1 << 2 | 1 << 3;
    /** SGLS as Linux nvmet: SGLs supported (bit 0), offset in data block descriptors for in-capsule data (bit 20). */
    private static final int SGLS = 1 | 1 << 20;
    /** DLFEAT bit 3: Write Zeroes takes the Deallocate bit (it still writes zeroes). */
    private static final int DLFEAT_WRITE_ZEROES_DEALLOCATE = 1 << 3;
    /** DLFEAT bits 2:0 = 001b: deallocated blocks read as zeroes (000b: not reported). */
    private static final int DLFEAT_READS_ZEROES = 0x1;

    Identify() {
    }

    NvmeStatus write(int cns, int nsid, TargetController controller, ByteBuffer data) {
        Subsystem subsystem = controller.subsystem;
        if (cns == IdentifyCns.CONTROLLER.code()) {
            new IdentifyControllerFlyweight().wrap(data, 0).write(controller(controller));
            return NvmeStatus.SUCCESS;
        }
        if (subsystem.discovery) {
            return NvmeStatus.generic(GenericStatus.INVALID_FIELD, true);
        }
        if (cns == IdentifyCns.NAMESPACE.code()) {
            if (nsid == 0 || nsid == 0xFFFFFFFF) {
                return NvmeStatus.generic(GenericStatus.INVALID_NAMESPACE, true);
            }
            Namespace ns = subsystem.namespace(nsid);
            if (ns != null) { // an inactive NSID gets a zero-filled structure
                new IdentifyNamespaceFlyweight().wrap(data, 0).write(namespace(ns, subsystem.nqn));
            }
            return NvmeStatus.SUCCESS;
        }
        if (cns == IdentifyCns.ACTIVE_NAMESPACE_LIST.code()) {
            if (nsid == 0xFFFFFFFE || nsid == 0xFFFFFFFF) {
                return NvmeStatus.generic(GenericStatus.INVALID_NAMESPACE, true);
            }
            int[] list = subsystem.namespaces().stream().mapToInt(Namespace::nsid)
                    .filter(id -> Integer.compareUnsigned(id, nsid) > 0).limit(1024).toArray();
            new NamespaceListFlyweight().wrap(data, 0).write(list);
            return NvmeStatus.SUCCESS;
        }
        if (cns == IdentifyCns.NAMESPACE_ID_DESCRIPTORS.code()) {
            Namespace ns = subsystem.namespace(nsid);
            if (ns == null) {
                return NvmeStatus.generic(GenericStatus.INVALID_NAMESPACE, true);
            }
            UUID uuid = uuid(subsystem.nqn, nsid);
            List<NamespaceIdDescriptor> descriptors = new ArrayList<>();
            descriptors.add(NamespaceIdDescriptor.nguid(nguid(uuid)));
            descriptors.add(NamespaceIdDescriptor.uuid(uuid));
            new NamespaceIdDescriptorListFlyweight().wrap(data, 0).write(descriptors);
            return NvmeStatus.SUCCESS;
        }
        return NvmeStatus.generic(GenericStatus.INVALID_FIELD, true);
    }

    private IdentifyController controller(TargetController controller) {
        Subsystem subsystem = controller.subsystem;
        boolean discovery = subsystem.discovery;
        int ioccsz = (Connection.IN_CAPSULE_DATA + 64) / 16;
        return IdentifyController.builder()
                .sn(truncate(subsystem.serial(), 20))
                .mn(truncate(subsystem.model(), 40))
                .fr(FIRMWARE)
                .mdts(controller.engine.options.mdts())
                .cntlid(controller.cntlid)
                .ver(AdminCommandSet.VS)
                .oaes(discovery ? AsyncEvent.CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES
                        : AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES)
                .cntrltype(discovery ? 2 : 1)
                .aerl(TargetController.AER_LIMIT - 1)
                .lpa(1 << 2) // extended data for Get Log Page (offsets)
                .elpe(0)
                .kas(10) // 100 ms units: 1 s granularity
                .sqes(0x66)
                .cqes(0x44)
                .maxcmd(Connection.QUEUE_ENTRIES)
                .nn(discovery ? 0 : NamespaceConfig.MAX_NSID)
                .oncs(discovery ? 0 : ONCS)
                .vwc(discovery ? 0 : 1)
                .sgls(SGLS)
                .subnqn(subsystem.nqn)
                .ioccsz(discovery ? 0 : ioccsz)
                .iorcsz(discovery ? 0 : 1)
                .icdoff(0)
                .fcatt(0)
                .msdbd(1)
                .build();
    }

    private IdentifyNamespace namespace(Namespace ns, String nqn) {
        UUID uuid = uuid(nqn, ns.nsid());
        return IdentifyNamespace.builder()
                .nsze(ns.blocks())
                .ncap(ns.blocks())
                .nuse(ns.blocks())
                .flbas(0)
                .dlfeat(DLFEAT_WRITE_ZEROES_DEALLOCATE | (ns.deallocatedReadsZeroes() ? DLFEAT_READS_ZEROES : 0))
                .nguid(nguid(uuid))
                .lbaFormats(List.of(LbaFormat.ofBlockSize(ns.blockSize())))
                .build();
    }

    /** A stable identity for a namespace: the same subsystem and NSID give the same UUID and NGUID. */
    static UUID uuid(String nqn, int nsid) {
        return UUID.nameUUIDFromBytes((nqn + "/" + nsid).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] nguid(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .array();
    }

    private static String truncate(String s, int bytes) {
        return s.length() <= bytes ? s : s.substring(0, bytes);
    }
}
