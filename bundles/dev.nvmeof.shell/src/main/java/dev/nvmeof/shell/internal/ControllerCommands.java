package dev.nvmeof.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import dev.nvmeof.api.AdminPassthru;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.DataDirection;

/** {@code nvme reset} and {@code nvme admin-passthru}. */
public final class ControllerCommands {
    private final NvmeHost host;
    private final Function<String, Path> files;

    public ControllerCommands(NvmeHost host, Function<String, Path> files) {
        this.host = host;
        this.files = files;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("reset", "reset the controller (reconnect its association)",
                new Args.Spec("nvme reset"), (args, out) -> reset(args)));
        Args.Spec passthru = new Args.Spec("nvme admin-passthru").value("opcode", 'O', "opcode (hex with 0x)")
                .value("namespace-id", 'n', "NSID").value("data-len", 'l', "data length in bytes")
                .flag("read", 'r', "the controller sends data").flag("write", 'w', "the host sends data")
                .value("input-file", 'i', "data to send (with --write)")
                .flag("raw-binary", 'b', "write the received data raw");
        for (int n = 10; n <= 15; n++) {
            passthru.value("cdw" + n, (char) ('4' + n - 10), "command dword " + n);
        }
        nvme.add(new Subcommand("admin-passthru", "send an admin command as given", passthru, this::passthru));
    }

    private void reset(Args args) {
        NvmeController controller = new Devices(host).target("nvme reset", args.positional()).controller();
        try {
            controller.reset();
        } catch (IllegalStateException busy) {
            throw new ShellException(16, controller.name() + " is busy (" + ListCommands.state(controller)
                    + "): " + busy.getMessage());
        }
    }

    private void passthru(Args args, PrintStream out) throws NvmeException {
        NvmeController controller = new Devices(host).target("nvme admin-passthru", args.positional()).controller();
        int opcode = (int) args.number("opcode", -1);
        if (opcode < 0 || opcode > 0xFF) {
            throw ShellException.usage("nvme admin-passthru: '--opcode' (-O) from 0 to 0xff is required");
        }
        int[] cdw = new int[6];
        for (int n = 10; n <= 15; n++) {
            cdw[n - 10] = (int) args.number("cdw" + n, 0);
        }
        int length = (int) args.number("data-len", 0);
        if (length < 0 || (length > 0 && args.has("read") == args.has("write"))) {
            throw ShellException.usage("nvme admin-passthru: with --data-len give one of --read (-r), --write (-w)");
        }
        ByteBuffer data = null;
        DataDirection direction = DataDirection.NONE;
        if (length > 0) {
            data = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            direction = args.has("write") ? DataDirection.HOST_TO_CONTROLLER : DataDirection.CONTROLLER_TO_HOST;
            if (args.has("write")) {
                data.put(input(args.required("input-file"), length)).flip();
            }
        }
        int result = controller.adminPassthru(new AdminPassthru(opcode, (int) args.number("namespace-id", 0), cdw,
                data, direction));
        if (direction == DataDirection.CONTROLLER_TO_HOST) {
            byte[] bytes = data.array();
            if (args.has("raw-binary")) {
                out.write(bytes, 0, bytes.length);
                return;
            }
            out.printf("NVMe command result:%08x%n", result);
            HexDump.print(out, bytes, bytes.length);
            return;
        }
        out.printf("NVMe command result:%08x%n", result);
    }

    private byte[] input(String name, int length) {
        Path file = files.apply(name);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < length) {
                throw ShellException.usage("input file " + file + " has " + bytes.length + " bytes, --data-len is "
                        + length);
            }
            return java.util.Arrays.copyOf(bytes, length);
        } catch (IOException e) {
            throw new ShellException(ShellException.EIO, "cannot read " + file + ": " + e);
        }
    }
}
