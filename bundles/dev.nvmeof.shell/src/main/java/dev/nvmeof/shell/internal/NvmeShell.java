package dev.nvmeof.shell.internal;

import java.nio.file.Path;
import java.util.function.Function;

import dev.nvmeof.api.NvmeHost;

/** The {@code nvme} command word: every subcommand over one host. */
public final class NvmeShell {
    private NvmeShell() {
    }

    /**
     * @param transports waits for a transport the host has not bound yet
     * @param files      resolves data and keyring file names (the session's current directory)
     */
    public static CommandWord create(NvmeHost host, FabricsCommands.Transports transports,
            Function<String, Path> files) {
        CommandWord nvme = new CommandWord("nvme", "NVMe over Fabrics, with nvme-cli's commands and options");
        new FabricsCommands(host, transports, files).addTo(nvme);
        KeyCommands.addTo(nvme, () -> host.identity().hostnqn());
        new ListCommands(host).addTo(nvme);
        new IdentifyCommands(host).addTo(nvme);
        new LogCommands(host).addTo(nvme);
        new IoCommands(host, files).addTo(nvme);
        new ControllerCommands(host, files).addTo(nvme);
        // A console that is a terminal gets perf's live progress line; a script's pipe does not.
        new PerfCommands(host, System.console() != null).addTo(nvme);
        return nvme;
    }
}
