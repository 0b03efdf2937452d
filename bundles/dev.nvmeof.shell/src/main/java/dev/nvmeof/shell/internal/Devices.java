package dev.nvmeof.shell.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;

/** Device names as nvme-cli takes them: {@code nvme0}, {@code /dev/nvme0}, {@code nvme0n1}, {@code /dev/nvme0n1}. */
public final class Devices {
    private static final Pattern NAME = Pattern.compile("(?:/dev/)?(nvme\\d+)(?:n(\\d+))?");

    private final NvmeHost host;

    public Devices(NvmeHost host) {
        this.host = host;
    }

    /** A device named by the command's first positional argument, or a usage error. */
    public Target target(String command, List<String> positional) {
        if (positional.isEmpty()) {
            throw ShellException.usage(command + ": a device is required (e.g. /dev/nvme0 or nvme0n1)");
        }
        if (positional.size() > 1) {
            throw ShellException.usage(command + ": unexpected argument '" + positional.get(1) + "'");
        }
        return find(positional.get(0));
    }

    /** The controller, and namespace if the name has one; ENODEV naming it when there is none. */
    public Target find(String device) {
        Matcher m = NAME.matcher(device);
        if (!m.matches()) {
            throw ShellException.usage("'" + device + "' is not an NVMe device name (nvme0, /dev/nvme0n1, ...)");
        }
        NvmeController controller = host.controller(m.group(1)).orElseThrow(
                () -> new ShellException(ShellException.ENODEV, "no such device: " + device));
        if (m.group(2) == null) {
            return new Target(controller, null);
        }
        int nsid = Integer.parseInt(m.group(2));
        NvmeNamespace namespace = controller.namespaces().stream().filter(ns -> ns.nsid() == nsid).findFirst()
                .orElseThrow(() -> new ShellException(ShellException.ENODEV, "no such device: " + device
                        + " (" + controller.name() + " has no active namespace " + nsid + ")"));
        return new Target(controller, namespace);
    }

    /** What a device name names: a controller, and maybe one of its namespaces. */
    public record Target(NvmeController controller, NvmeNamespace namespace) {

        /** The namespace, or a usage error for a command that needs one. */
        public NvmeNamespace requireNamespace(String command) {
            if (namespace == null) {
                throw ShellException.usage(command + ": " + controller.name()
                        + " is a controller; name a namespace (e.g. " + controller.name() + "n1)");
            }
            return namespace;
        }
    }
}
