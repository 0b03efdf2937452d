package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.nio.ByteBuffer;

import dev.nvmeof.api.AdminPassthru;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.DataDirection;

/**
 * {@code nvme id-ctrl} and {@code nvme id-ns} as nvme-cli 2.3 prints them, normal and JSON: the structures are read
 * whole (Identify through admin passthrough) and decoded by {@link IdentifyLayout}, so that every field nvme-cli shows
 * is there, not only the ones the protocol's records model.
 */
public final class IdentifyCommands {
    private static final int IDENTIFY = 0x06;
    private static final int CNS_NAMESPACE = 0x00;
    private static final int CNS_CONTROLLER = 0x01;
    private static final int LENGTH = 4096;

    private final NvmeHost host;

    public IdentifyCommands(NvmeHost host) {
        this.host = host;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("id-ctrl", "Identify Controller of a device",
                new Args.Spec("nvme id-ctrl").value("output-format", 'o', "normal or json")
                        .flag("vendor-specific", 'v', "also the vendor-specific area (none here)"), this::idCtrl));
        nvme.add(new Subcommand("id-ns", "Identify Namespace of a device",
                new Args.Spec("nvme id-ns").value("namespace-id", 'n', "NSID (default: the device's)")
                        .value("output-format", 'o', "normal or json")
                        .flag("vendor-specific", 'v', "also the vendor-specific area (none here)"), this::idNs));
    }

    private void idCtrl(Args args, PrintStream out) throws NvmeException {
        Devices.Target target = new Devices(host).target("nvme id-ctrl", args.positional());
        boolean json = args.json();
        if (target.controller().identify() == null) {
            throw new ShellException(ShellException.EIO, target.controller().name() + " is "
                    + ListCommands.state(target.controller()) + ", not identified yet");
        }
        byte[] raw = identify(target.controller(), CNS_CONTROLLER, 0);
        if (json) {
            out.println(Json.write(IdentifyLayout.controllerJson(raw)));
            return;
        }
        out.println("NVME Identify Controller:");
        IdentifyLayout.controllerText(raw).forEach(out::println);
    }

    private void idNs(Args args, PrintStream out) throws NvmeException {
        Devices.Target target = new Devices(host).target("nvme id-ns", args.positional());
        boolean json = args.json();
        int nsid = (int) args.number("namespace-id", target.namespace() == null ? -1 : target.namespace().nsid());
        if (nsid == -1) {
            throw ShellException.usage("nvme id-ns: name a namespace (nvme0n1) or give --namespace-id (-n)");
        }
        byte[] raw = identify(target.controller(), CNS_NAMESPACE, nsid);
        if (json) {
            out.println(Json.write(IdentifyLayout.namespaceJson(raw)));
            return;
        }
        out.println("NVME Identify Namespace " + Integer.toUnsignedString(nsid) + ":");
        IdentifyLayout.namespaceText(raw).forEach(out::println);
    }

    /** The raw 4096-byte structure, as nvme-cli reads it (Identify with this CNS and NSID). */
    static byte[] identify(NvmeController controller, int cns, int nsid) throws NvmeException {
        ByteBuffer data = ByteBuffer.allocate(LENGTH);
        controller.adminPassthru(new AdminPassthru(IDENTIFY, nsid, new int[] {cns, 0, 0, 0, 0, 0}, data,
                DataDirection.CONTROLLER_TO_HOST));
        return data.array();
    }
}
