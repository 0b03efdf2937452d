package dev.nvmeof.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.api.NvmeTimeoutException;

/**
 * {@code nvme read}, {@code write} and {@code flush} on a namespace's block device. Data files are read and written
 * whole; a read without {@code --data} prints a hex dump (a console is no place for raw bytes).
 */
public final class IoCommands {
    /** The most one command moves here (the block device splits it into transfers of its own size). */
    static final int MAX_BYTES = 64 << 20;
    static final long TIMEOUT_SECONDS = 60;

    private final NvmeHost host;
    private final Function<String, Path> files;

    /** @param files resolves a file name against the session's current directory */
    public IoCommands(NvmeHost host, Function<String, Path> files) {
        this.host = host;
        this.files = files;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("read", "read blocks into a file (or print them)", ioSpec("nvme read"),
                (args, out) -> io(args, out, false)));
        nvme.add(new Subcommand("write", "write blocks from a file", ioSpec("nvme write"),
                (args, out) -> io(args, out, true)));
        nvme.add(new Subcommand("flush", "make written data durable (Flush)",
                new Args.Spec("nvme flush").value("namespace-id", 'n', "NSID (default: the device's)"),
                this::flush));
    }

    private static Args.Spec ioSpec(String command) {
        return new Args.Spec(command).value("start-block", 's', "first LBA (default 0)")
                .value("block-count", 'c', "number of blocks, 0's based (0 = one block)")
                .value("data-size", 'z', "bytes to move (at least (block-count+1) x block size)")
                .value("data", 'd', "data file")
                .flag("force-unit-access", 'f', "write through to media (FUA)")
                .flag("show-command", 'v', "print the command");
    }

    private void io(Args args, PrintStream out, boolean write) throws NvmeException {
        String command = write ? "nvme write" : "nvme read";
        NvmeNamespace ns = new Devices(host).target(command, args.positional()).requireNamespace(command);
        long slba = args.number("start-block", 0);
        long nlb = args.number("block-count", 0) + 1;
        if (slba < 0 || nlb < 1 || nlb > 0x10000 || slba + nlb > ns.blocks()) {
            throw ShellException.usage("LBAs " + slba + ".." + (slba + nlb - 1) + " are outside " + ns.name()
                    + " (0.." + (ns.blocks() - 1) + ", at most 65536 blocks per command)");
        }
        long length = nlb * ns.blockSize();
        if (args.has("data-size") && Units.size(args.value("data-size"), command + ": --data-size") < length) {
            throw ShellException.usage("--data-size " + args.value("data-size") + " is less than " + nlb
                    + " blocks of " + ns.blockSize() + " bytes");
        }
        if (length > MAX_BYTES) {
            throw ShellException.usage(length + " bytes is more than one command moves here (" + MAX_BYTES + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) length);
        if (args.has("show-command")) {
            out.printf("opcode: %s nsid: %d slba: %d nlb (0's based): %d%n", write ? "01h" : "02h", ns.nsid(), slba,
                    nlb - 1);
        }
        if (write) {
            Path file = files.apply(args.required("data"));
            readFile(file, buffer);
            await(ns.device().write(slba, buffer.flip(), args.has("force-unit-access")), "write");
            out.println("write: Success");
            return;
        }
        await(ns.device().read(slba, buffer), "read");
        buffer.clear(); // the device fills position..limit and leaves both where they were
        if (args.has("data")) {
            writeFile(files.apply(args.value("data")), buffer);
        } else {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            HexDump.print(out, bytes, bytes.length);
        }
        out.println("read: Success");
    }

    private void flush(Args args, PrintStream out) throws NvmeException {
        NvmeNamespace ns = new Devices(host).target("nvme flush", args.positional()).requireNamespace("nvme flush");
        BlockDevice device = ns.device();
        await(device.flush(), "flush");
        out.println("NVMe Flush: success");
    }

    private static void readFile(Path file, ByteBuffer into) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < into.remaining()) {
                throw ShellException.usage("data file " + file + " has " + channel.size() + " bytes, the command "
                        + "writes " + into.remaining());
            }
            while (into.hasRemaining() && channel.read(into) >= 0) {
                // FileChannel reads until the buffer is full or the file ends (checked above).
            }
        } catch (IOException e) {
            throw new ShellException(ShellException.EIO, "cannot read data file " + file + ": " + e);
        }
    }

    private static void writeFile(Path file, ByteBuffer from) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (from.hasRemaining()) {
                channel.write(from);
            }
        } catch (IOException e) {
            throw new ShellException(ShellException.EIO, "cannot write data file " + file + ": " + e);
        }
    }

    /** The I/O's own failure (its NVMe status, a path error) as the command's. */
    private static void await(CompletableFuture<Void> io, String what) throws NvmeException {
        try {
            io.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NvmeException nvme) {
                throw nvme;
            }
            throw new ShellException(ShellException.EIO, what + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw NvmeTimeoutException.of(what, java.time.Duration.ofSeconds(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShellException(ShellException.EIO, what + " interrupted");
        }
    }
}
