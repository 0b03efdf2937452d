package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.protocol.DiscoveryLogPageFlyweight;

/**
 * {@code nvme connect}, {@code discover}, {@code connect-all}, {@code disconnect}, {@code disconnect-all} and
 * {@code show-hostnqn}, with nvme-cli 2.x's option names; the options become the kernel's fabrics option string and
 * {@link ConnectOptions} checks them, so every refusal names the option.
 */
public final class FabricsCommands {
    /** nvme-cli's long option, short letter and the kernel option it sets. */
    private record Fabric(String name, char letter, String key, boolean flag, String help) {
    }

    private static final List<Fabric> FABRICS = List.of(
            new Fabric("transport", 't', "transport", false, "transport type: tcp, tcp_offload"),
            new Fabric("nqn", 'n', "nqn", false, "subsystem NQN"),
            new Fabric("traddr", 'a', "traddr", false, "transport address of the target"),
            new Fabric("trsvcid", 's', "trsvcid", false, "transport service id (port; 4420, 8009 for discovery)"),
            new Fabric("host-traddr", 'w', "host_traddr", false, "host transport address (source address)"),
            new Fabric("host-iface", 'f', "host_iface", false, "host interface (e.g. p1p1)"),
            new Fabric("hostnqn", 'q', "hostnqn", false, "host NQN (default: this host's)"),
            new Fabric("hostid", 'I', "hostid", false, "host ID, a UUID (default: this host's)"),
            new Fabric("nr-io-queues", 'i', "nr_io_queues", false, "number of I/O queues"),
            new Fabric("nr-write-queues", 'W', "nr_write_queues", false,
                    "number of write queues (reads get their own)"),
            new Fabric("nr-poll-queues", 'P', "nr_poll_queues", false, "number of poll queues"),
            new Fabric("queue-size", 'Q', "queue_size", false, "I/O queue size"),
            new Fabric("keep-alive-tmo", 'k', "keep_alive_tmo", false, "keep-alive timeout, seconds"),
            new Fabric("reconnect-delay", 'c', "reconnect_delay", false, "seconds between reconnect attempts"),
            new Fabric("ctrl-loss-tmo", 'l', "ctrl_loss_tmo", false, "seconds to try reconnecting, -1 forever"),
            new Fabric("fast_io_fail_tmo", (char) 0, "fast_io_fail_tmo", false, "seconds before I/O fails fast"),
            new Fabric("tos", 'T', "tos", false, "type of service"),
            new Fabric("duplicate-connect", 'D', "duplicate_connect", true, "allow a duplicate connection"),
            new Fabric("disable-sqflow", 'd', "disable_sqflow", true, "disable SQ flow control"),
            new Fabric("hdr-digest", 'g', "hdr_digest", true, "enable the header digest"),
            new Fabric("data-digest", 'G', "data_digest", true, "enable the data digest"),
            new Fabric("offload-fallback", (char) 0, "offload_fallback", false,
                    "tcp_offload only: continue on this transport (tcp) when no device claims"),
            new Fabric("dhchap-secret", 'S', "dhchap_secret", false, "DH-HMAC-CHAP secret of this host (DHHC-1:..)"),
            new Fabric("dhchap-ctrl-secret", 'C', "dhchap_ctrl_secret", false,
                    "DH-HMAC-CHAP secret of the controller: authenticate it too"),
            new Fabric("tls", (char) 0, "tls", true, "NVMe/TCP over TLS 1.3 with a PSK (from --tls-key or --keyring)"),
            new Fabric("tls-key", (char) 0, "tls_key", false,
                    "the TLS PSK, NVMeTLSkey-1:hh:<base64>: (implies --tls)"),
            new Fabric("keyring", (char) 0, "keyring", false,
                    "TLS keyring file (mode 600), lines '<hostnqn> <subnqn> NVMeTLSkey-1:..:'"));

    /** Discovery log records read at most (a 4 MiB page). */
    static final int MAX_RECORDS = 4095;

    /** How long a connect waits for its transport to register after the appliance started. */
    static final Duration TRANSPORT_WAIT = Duration.ofSeconds(10);

    private final NvmeHost host;
    private final Transports transports;
    private final Function<String, Path> files;

    /** Waits until the host has bound a transport (they come and go as bundles start and stop). */
    @FunctionalInterface
    public interface Transports {
        /** @return whether {@code name} is bound within {@code timeout} */
        boolean await(String name, Duration timeout);
    }

    /** @param files resolves a {@code --keyring} file name as the data files of read and write are */
    public FabricsCommands(NvmeHost host, Transports transports, Function<String, Path> files) {
        this.host = host;
        this.transports = transports;
        this.files = files;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("connect", "connect to an NVMe-oF subsystem", fabricsSpec("nvme connect"),
                this::connect));
        nvme.add(new Subcommand("discover", "read a discovery controller's log", fabricsSpec("nvme discover"),
                this::discover));
        nvme.add(new Subcommand("connect-all", "discover, then connect every subsystem listed",
                fabricsSpec("nvme connect-all"), this::connectAll));
        nvme.add(new Subcommand("disconnect", "disconnect controllers by NQN or by device",
                new Args.Spec("nvme disconnect").value("nqn", 'n', "disconnect every controller of this NQN")
                        .value("device", 'd', "disconnect these controllers (nvme0,nvme1)")
                        .flag("verbose", 'v', "say more"), this::disconnect));
        nvme.add(new Subcommand("disconnect-all", "disconnect every controller",
                new Args.Spec("nvme disconnect-all").value("transport", 't', "only controllers on this transport")
                        .flag("verbose", 'v', "say more"), this::disconnectAll));
        nvme.add(new Subcommand("show-hostnqn", "print this host's NQN", new Args.Spec("nvme show-hostnqn"),
                (args, out) -> out.println(host.identity().hostnqn())));
    }

    /** Every fabrics option of nvme connect, with {@code -o} and {@code -v}; {@code ofld claims} takes them too. */
    static Args.Spec fabricsSpec(String command) {
        Args.Spec spec = new Args.Spec(command);
        for (Fabric fabric : FABRICS) {
            if (fabric.flag) {
                spec.flag(fabric.name, fabric.letter, fabric.help);
            } else {
                spec.value(fabric.name, fabric.letter, fabric.help);
            }
        }
        return spec.value("output-format", 'o', "normal or json").flag("verbose", 'v', "say more");
    }

    /** The kernel's option string for what was given, checked by {@link ConnectOptions#parse(String)}. */
    ConnectOptions options(Args args, String defaultNqn) throws NvmeException {
        StringBuilder text = optionText(args);
        if (!args.has("nqn") && defaultNqn != null) {
            text.append(",nqn=").append(defaultNqn);
        }
        ConnectOptions options = ConnectOptions.parse(text.toString());
        // The transport reads the keyring when it connects, relative to the JVM's directory: name it absolutely.
        return options.keyring() == null ? options
                : options.toBuilder().keyring(files.apply(options.keyring()).toAbsolutePath().toString()).build();
    }

    /** The kernel's option string ({@code transport=tcp,traddr=...}) for the fabrics options given, unchecked. */
    static StringBuilder optionText(Args args) {
        StringBuilder text = new StringBuilder();
        for (Fabric fabric : FABRICS) {
            if (!args.has(fabric.name)) {
                continue;
            }
            String value = args.value(fabric.name);
            if (fabric.key.startsWith("dhchap_") || fabric.key.equals("tls_key")) {
                // A secret's base64 may end in '='; the kernel syntax splits at the first '=', so only ',' breaks it.
                if (value.indexOf(',') >= 0) {
                    throw ShellException.usage("--" + fabric.name + ": a secret has no ','");
                }
            } else if (value.indexOf(',') >= 0 || value.indexOf('=') >= 0) {
                throw ShellException.usage("--" + fabric.name + ": '" + value + "' must not contain ',' or '='");
            }
            text.append(text.length() == 0 ? "" : ",").append(fabric.key).append(fabric.flag ? "" : "=" + value);
        }
        return text;
    }

    private String transport(Args args) {
        String transport = args.required("transport");
        if (!transports.await(transport, TRANSPORT_WAIT)) {
            throw new ShellException(ShellException.ENODEV, "transport '" + transport + "' is not available"
                    + " (is its bundle started? tcp and tcp_offload are the transports this host knows)");
        }
        return transport;
    }

    private void connect(Args args, PrintStream out) throws NvmeException {
        transport(args);
        args.required("nqn");
        args.required("traddr");
        NvmeController controller = host.connect(options(args, null));
        if (args.json()) {
            Map<String, Object> json = Json.object();
            json.put("device", controller.name());
            out.println(Json.write(json));
        } else {
            out.println("connecting to device: " + controller.name());
            if (args.has("verbose")) {
                out.println("path: " + controller.transportDescription());
            }
        }
    }

    private void connectAll(Args args, PrintStream out) throws NvmeException {
        transport(args);
        args.required("traddr");
        List<NvmeController> connected = host.connectAll(options(args, ConnectOptions.DISCOVERY_NQN));
        for (NvmeController controller : connected) {
            out.println("connecting to device: " + controller.name() + " (" + controller.subsystemNqn() + ")");
        }
    }

    /** Connects to the discovery controller and reads its whole log page, like nvme-cli (genctr included). */
    private void discover(Args args, PrintStream out) throws NvmeException {
        transport(args);
        args.required("traddr");
        ConnectOptions options = options(args, ConnectOptions.DISCOVERY_NQN);
        NvmeController controller = host.connect(options);
        ByteBuffer page;
        try {
            page = read(controller, DiscoveryLogPageFlyweight.HEADER_LENGTH);
            long numrec = new DiscoveryLogPageFlyweight().wrap(page, 0).numrec();
            if (numrec < 0 || numrec > MAX_RECORDS) {
                throw new ShellException(ShellException.EIO, "the discovery log claims " + numrec
                        + " records; at most " + MAX_RECORDS + " are read");
            }
            page = read(controller, (int) DiscoveryLogPageFlyweight.requiredLength((int) numrec));
        } finally {
            controller.disconnect();
        }
        DiscoveryLogPageFlyweight log = new DiscoveryLogPageFlyweight().wrap(page, 0);
        List<DiscoveryLogEntry> entries = log.entries();
        if (args.json()) {
            out.println(Json.write(DiscoveryFormat.json(log.genctr(), entries)));
        } else {
            DiscoveryFormat.print(out, log.genctr(), entries);
        }
    }

    private static ByteBuffer read(NvmeController controller, int length) throws NvmeException {
        byte[] bytes = controller.logPage(0x70, 0, length, 0);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void disconnect(Args args, PrintStream out) throws NvmeException {
        if (args.has("nqn") == args.has("device")) {
            throw ShellException.usage("nvme disconnect: give either --nqn (-n) or --device (-d)");
        }
        if (args.has("nqn")) {
            String nqn = args.required("nqn");
            List<NvmeController> matching = new ArrayList<>();
            for (NvmeController c : host.controllers()) {
                if (c.subsystemNqn().equals(nqn)) {
                    matching.add(c);
                }
            }
            for (NvmeController c : matching) {
                c.disconnect();
            }
            out.println("NQN:" + nqn + " disconnected " + matching.size() + " controller(s)");
            return;
        }
        Devices devices = new Devices(host);
        for (String name : args.required("device").split(",")) {
            Devices.Target target = devices.find(name.trim());
            target.controller().disconnect();
            if (args.has("verbose")) {
                out.println("disconnected " + target.controller().name());
            }
        }
    }

    private void disconnectAll(Args args, PrintStream out) throws NvmeException {
        String transport = args.value("transport");
        for (NvmeController c : host.controllers()) {
            if (transport == null || c.options().transport().equals(transport)) {
                c.disconnect();
                if (args.has("verbose")) {
                    out.println("disconnected " + c.name());
                }
            }
        }
    }
}
