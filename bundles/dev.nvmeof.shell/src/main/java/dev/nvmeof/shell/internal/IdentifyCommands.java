package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.LbaFormat;

/** {@code nvme id-ctrl} and {@code nvme id-ns}, with nvme-cli's field names, in normal and JSON form. */
public final class IdentifyCommands {
    /** Fields nvme-cli prints in decimal; the others in hex. */
    private static final Set<String> DECIMAL = Set.of("rab", "mdts", "acl", "aerl", "elpe", "npss", "kas",
            "maxcmd", "nn", "awun", "awupf", "acwu", "mnan", "ioccsz", "iorcsz", "icdoff", "msdbd", "nsze", "ncap",
            "nuse", "nlbaf", "nawun", "nawupf", "nacwu", "nabsn", "nabo", "nabspf", "noiob", "nvmcap", "npwg",
            "npwa", "npdg", "npda", "nows", "anagrpid", "nvmsetid", "endgid");

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
        IdentifyController id = target.controller().identify();
        if (id == null) {
            throw new ShellException(ShellException.EIO, target.controller().name() + " is "
                    + ListCommands.state(target.controller()) + ", not identified yet");
        }
        Map<String, Object> fields = RecordFields.of(id);
        if (args.json()) {
            fields.replaceAll((name, value) -> value instanceof String s ? s.trim() : value);
            out.println(Json.write(fields));
            return;
        }
        out.println("NVME Identify Controller:");
        print(out, fields);
    }

    private void idNs(Args args, PrintStream out) throws NvmeException {
        Devices.Target target = new Devices(host).target("nvme id-ns", args.positional());
        int nsid = (int) args.number("namespace-id", target.namespace() == null ? -1 : target.namespace().nsid());
        if (nsid == -1) {
            throw ShellException.usage("nvme id-ns: name a namespace (nvme0n1) or give --namespace-id (-n)");
        }
        IdentifyNamespace ns = target.controller().identifyNamespace(nsid);
        Map<String, Object> fields = RecordFields.of(ns);
        List<LbaFormat> formats = ns.lbaFormats();
        fields.remove("lbaFormats");
        fields.put("nguid", hex(ns.nguid()));
        fields.put("eui64", hex(ns.eui64()));
        int inUse = ns.flbas() & 0xF;
        if (args.json()) {
            List<Object> lbafs = Json.array();
            for (LbaFormat f : formats) {
                Map<String, Object> lbaf = Json.object();
                lbaf.put("ms", f.ms());
                lbaf.put("ds", f.lbads());
                lbaf.put("rp", f.rp());
                lbafs.add(lbaf);
            }
            fields.put("lbafs", lbafs);
            out.println(Json.write(fields));
            return;
        }
        out.println("NVME Identify Namespace " + nsid + ":");
        print(out, fields);
        for (int i = 0; i < formats.size(); i++) {
            LbaFormat f = formats.get(i);
            out.printf("lbaf %2d : ms:%-3d lbads:%-2d rp:%d%s%n", i, f.ms(), f.lbads(), f.rp(),
                    i == inUse ? " (in use)" : "");
        }
    }

    private static void print(PrintStream out, Map<String, Object> fields) {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            String text = value instanceof Integer i && !DECIMAL.contains(field.getKey())
                    ? "0x" + Integer.toHexString(i)
                    : value instanceof String s ? s.trim() : String.valueOf(value);
            out.printf("%-9s : %s%n", field.getKey(), text);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }
}
