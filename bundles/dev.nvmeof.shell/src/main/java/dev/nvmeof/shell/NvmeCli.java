package dev.nvmeof.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.shell.internal.CommandWord;
import dev.nvmeof.shell.internal.NvmeShell;

/**
 * The {@code nvme} command over an {@link NvmeHost}, as the shell bundle's Gogo command runs it: nvme-cli's
 * subcommands and options, its output shapes and {@code -o json}. A failure is a {@link RuntimeException} whose message
 * is the one line the shell prints ({@code nvme connect: '--nqn' (-n) is required}).
 */
public final class NvmeCli {
    private final CommandWord nvme;

    private NvmeCli(CommandWord nvme) {
        this.nvme = nvme;
    }

    /**
     * The command over {@code host}, whose transports are bound already (the Gogo command waits for one still
     * starting; this does not).
     *
     * @param files resolves the data file names of {@code read}, {@code write} and {@code admin-passthru}
     */
    public static NvmeCli over(NvmeHost host, Function<String, Path> files) {
        return new NvmeCli(NvmeShell.create(host, (transport, timeout) -> true, files));
    }

    /** Runs {@code nvme args...}, printing to {@code out}. */
    public void run(PrintStream out, Object... args) {
        nvme.run(out, args);
    }
}
