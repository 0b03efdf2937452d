package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.protocol.IdentifyController;

/** {@code nvme list} and {@code nvme list-subsys}: this host's controllers and namespaces, as nvme-cli shows them. */
public final class ListCommands {
    /** nvme-cli 2.3's columns: Node, Generic, SN, Model, Namespace, Usage, Format, FW Rev. */
    private static final String ROW = "%-21s %-21s %-20s %-40s %-9s %-26s %-16s %-8s%n";

    private final NvmeHost host;

    public ListCommands(NvmeHost host) {
        this.host = host;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("list", "list every namespace of every controller",
                new Args.Spec("nvme list").value("output-format", 'o', "normal or json")
                        .flag("verbose", 'v', "say more"), this::list));
        nvme.add(new Subcommand("list-subsys", "list subsystems and the paths (controllers) to each",
                new Args.Spec("nvme list-subsys").value("output-format", 'o', "normal or json")
                        .flag("verbose", 'v', "say more"), this::listSubsys));
    }

    private List<NvmeController> controllers() {
        List<NvmeController> list = new ArrayList<>(host.controllers());
        list.sort(Comparator.comparingInt(c -> Integer.parseInt(c.name().substring("nvme".length()))));
        return list;
    }

    private void list(Args args, PrintStream out) {
        boolean json = args.json();
        List<Object> devices = Json.array();
        if (!json) {
            out.printf(ROW, "Node", "Generic", "SN", "Model", "Namespace", "Usage", "Format", "FW Rev");
            out.printf(ROW, "-".repeat(21), "-".repeat(21), "-".repeat(20), "-".repeat(40), "-".repeat(9),
                    "-".repeat(26), "-".repeat(16), "-".repeat(8));
        }
        for (NvmeController controller : controllers()) {
            IdentifyController id = controller.identify();
            if (id == null) {
                continue;
            }
            for (NvmeNamespace ns : controller.namespaces()) {
                long bytes = ns.blocks() * ns.blockSize();
                if (json) {
                    Map<String, Object> d = Json.object();
                    d.put("NameSpace", ns.nsid());
                    d.put("DevicePath", "/dev/" + ns.name());
                    d.put("Firmware", id.fr().trim());
                    d.put("ModelNumber", id.mn().trim());
                    d.put("SerialNumber", id.sn().trim());
                    d.put("UsedBytes", bytes);
                    d.put("MaximumLBA", ns.blocks());
                    d.put("PhysicalSize", bytes);
                    d.put("SectorSize", ns.blockSize());
                    devices.add(d);
                } else {
                    // There are no generic character devices (/dev/ngXnY) here: nvme-cli then prints the bare name.
                    out.printf(ROW, "/dev/" + ns.name(), ns.name().replaceFirst("^nvme", "ng"), id.sn().trim(),
                            id.mn().trim(), ns.nsid(), usage(bytes, bytes), format(ns.blockSize(), 0),
                            id.fr().trim());
                }
            }
        }
        if (json) {
            Map<String, Object> root = Json.object();
            root.put("Devices", devices);
            out.println(Json.write(root));
        }
    }

    /** nvme-cli's {@code %6.2f %2sB / %6.2f %2sB} in decimal units: {@code  67.11  MB /  67.11  MB}. */
    static String usage(long used, long size) {
        return si(used) + " / " + si(size);
    }

    private static String si(long bytes) {
        String[] prefixes = {"", "k", "M", "G", "T", "P", "E"};
        double value = bytes;
        int p = 0;
        while (value >= 1000 && p < prefixes.length - 1) {
            value /= 1000;
            p++;
        }
        return String.format(java.util.Locale.ROOT, "%6.2f %2sB", value, prefixes[p]);
    }

    /** nvme-cli's {@code %3.0f %2sB + %2d B} in binary units: {@code 512   B +  0 B}, {@code   4 KiB +  0 B}. */
    static String format(long blockSize, int metadata) {
        String[] prefixes = {"", "Ki", "Mi", "Gi"};
        double value = blockSize;
        int p = 0;
        while (value >= 1024 && p < prefixes.length - 1) {
            value /= 1024;
            p++;
        }
        return String.format(java.util.Locale.ROOT, "%3.0f %2sB + %2d B", value, prefixes[p], metadata);
    }

    private void listSubsys(Args args, PrintStream out) {
        Map<String, List<NvmeController>> bySubsystem = new LinkedHashMap<>();
        for (NvmeController controller : controllers()) {
            bySubsystem.computeIfAbsent(controller.subsystemNqn(), nqn -> new ArrayList<>()).add(controller);
        }
        String hostnqn = host.identity().hostnqn();
        if (args.json()) {
            List<Object> root = Json.array();
            if (bySubsystem.isEmpty()) {
                // nvme-cli lists a host only with the subsystems it reaches: no controller, an empty array.
                out.println(Json.write(root));
                return;
            }
            List<Object> subsystems = Json.array();
            int index = 0;
            for (Map.Entry<String, List<NvmeController>> subsystem : bySubsystem.entrySet()) {
                Map<String, Object> s = Json.object();
                s.put("Name", "nvme-subsys" + index++);
                s.put("NQN", subsystem.getKey());
                List<Object> paths = Json.array();
                for (NvmeController c : subsystem.getValue()) {
                    Map<String, Object> p = Json.object();
                    p.put("Name", c.name());
                    p.put("Transport", c.options().transport());
                    p.put("Address", address(c));
                    p.put("State", state(c));
                    paths.add(p);
                }
                s.put("Paths", paths);
                subsystems.add(s);
            }
            Map<String, Object> hostObject = Json.object();
            hostObject.put("HostNQN", hostnqn);
            hostObject.put("HostID", host.identity().hostid().toString());
            hostObject.put("Subsystems", subsystems);
            root.add(hostObject);
            out.println(Json.write(root));
            return;
        }
        int index = 0;
        for (Map.Entry<String, List<NvmeController>> subsystem : bySubsystem.entrySet()) {
            out.println("nvme-subsys" + index++ + " - NQN=" + subsystem.getKey());
            out.println("\\");
            for (NvmeController c : subsystem.getValue()) {
                out.println(" +- " + c.name() + " " + c.options().transport() + " " + address(c) + " " + state(c));
                if (args.has("verbose")) {
                    out.println("    path: " + c.transportDescription());
                    c.lastFailure().ifPresent(f -> out.println("    last failure: " + f));
                }
            }
        }
    }

    /** Like the kernel's {@code address} attribute: {@code traddr=...,trsvcid=...[,host_traddr=...]}. */
    static String address(NvmeController c) {
        ConnectOptions o = c.options();
        return "traddr=" + o.traddr() + ",trsvcid=" + o.trsvcid()
                + (o.hostTraddr() == null ? "" : ",host_traddr=" + o.hostTraddr())
                + (o.hostIface() == null ? "" : ",host_iface=" + o.hostIface());
    }

    /** The kernel's state words: live, connecting, resetting, deleting. */
    static String state(NvmeController c) {
        return c.state().name().toLowerCase(java.util.Locale.ROOT);
    }
}
