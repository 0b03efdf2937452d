package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.spi.offload.ClaimVerdict;
import dev.nvmeof.spi.offload.ClaimVerdict.Verdict;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadDeviceInfo;
import dev.nvmeof.spi.offload.OffloadDeviceInfo.OffloadQueueInfo;
import dev.nvmeof.spi.offload.OffloadInspector;
import dev.nvmeof.spi.offload.OffloadLimits;

/**
 * The {@code ofld} command word over the {@code tcp_offload} ULP's {@link OffloadInspector}: {@code ofld drivers}
 * (devices, limits, option policy, load), {@code ofld claims} (who would carry a connection and why, run dry: nothing
 * is set up) and {@code ofld queues}; {@code -o json} for each.
 */
public final class OffloadCommands {
    private static final String TRANSPORT = "tcp_offload";
    private static final String CLAIM_ROW = "%-4s %-16s %-8s %-15s %-5s %-10s %-5s %-6s %s%n";
    private static final String DRIVER_ROW = "%-16s %-10s %-7s %-8s %-8s %-7s %-7s %-6s %s%n";
    private static final String QUEUE_ROW = "%-16s %-30s %-21s %-4s %-5s %-6s %-5s %s%n";

    /** The inspector, or null while the ULP is not running. */
    private final Supplier<OffloadInspector> inspector;

    public OffloadCommands(Supplier<OffloadInspector> inspector) {
        this.inspector = inspector;
    }

    /** The {@code ofld} word. */
    public static CommandWord create(Supplier<OffloadInspector> inspector) {
        OffloadCommands ofld = new OffloadCommands(inspector);
        CommandWord word = new CommandWord("ofld", "the tcp_offload ULP's devices: what they can do, carry, and would"
                + " claim");
        word.add(new Subcommand("drivers", "every offload device: service.id and ranking, limits, option policy,"
                + " queues carried", output(new Args.Spec("ofld drivers")), ofld::drivers));
        word.add(new Subcommand("claims", "who would carry a tcp_offload connect with these options and why"
                + " (every device's claim or decline, ranked; nothing is connected)",
                FabricsCommands.fabricsSpec("ofld claims"), ofld::claims));
        word.add(new Subcommand("queues", "every queue each device carries: subsystem, target, qid, size, polled,"
                + " digests", output(new Args.Spec("ofld queues")), ofld::queues));
        return word;
    }

    private static Args.Spec output(Args.Spec spec) {
        return spec.value("output-format", 'o', "normal or json");
    }

    private OffloadInspector inspector() {
        OffloadInspector present = inspector.get();
        if (present == null) {
            throw new ShellException(ShellException.ENODEV, "the tcp_offload ULP is not running (no OffloadInspector"
                    + " service: is bundle dev.nvmeof.offload started?)");
        }
        return present;
    }

    private void drivers(Args args, PrintStream out) {
        boolean json = args.json();
        List<OffloadDeviceInfo> devices = inspector().devices();
        if (json) {
            List<Object> list = Json.array();
            for (OffloadDeviceInfo d : devices) {
                Map<String, Object> device = Json.object();
                device.put("device", d.name());
                device.put("service_id", d.serviceId());
                device.put("service_ranking", d.serviceRanking());
                device.put("max_io_size", d.limits().maxIoSize());
                device.put("max_segments", d.limits().maxSegments());
                device.put("hw_vectors", d.limits().hardwareVectors());
                device.put("polling", d.limits().polling());
                device.put("allowed_opts", new ArrayList<Object>(new TreeSet<>(d.optionPolicy().allowed())));
                device.put("required_opts", new ArrayList<Object>(new TreeSet<>(d.optionPolicy().required())));
                device.put("queues", d.queues().size());
                list.add(device);
            }
            out.println(Json.write(list));
            return;
        }
        if (devices.isEmpty()) {
            out.println("no offload device is registered");
            return;
        }
        out.printf(DRIVER_ROW, "Device", "service.id", "Ranking", "Max I/O", "Segments", "Vectors", "Polling",
                "Queues", "Options beyond the generic ones");
        for (OffloadDeviceInfo d : devices) {
            OffloadLimits limits = d.limits();
            out.printf(DRIVER_ROW, d.name(), d.serviceId(), d.serviceRanking(), binary(limits.maxIoSize()),
                    limits.maxSegments(), limits.hardwareVectors(), limits.polling() ? "yes" : "no",
                    d.queues().size(), "allowed " + String.join(",", new TreeSet<>(d.optionPolicy().allowed()))
                            + (d.optionPolicy().required().isEmpty() ? "" : "; required "
                                    + String.join(",", new TreeSet<>(d.optionPolicy().required()))));
        }
    }

    /** The options as {@code nvme connect -t tcp_offload} would build them, the discovery NQN without {@code -n}. */
    private void claims(Args args, PrintStream out) throws NvmeException {
        boolean json = args.json();
        String transport = args.value("transport", TRANSPORT);
        if (!transport.equals(TRANSPORT)) {
            throw ShellException.usage("'--transport' (-t): only " + TRANSPORT + " devices claim connections, not '"
                    + transport + "'");
        }
        args.required("traddr");
        StringBuilder text = FabricsCommands.optionText(args);
        if (!args.has("transport")) {
            text.append(",transport=").append(TRANSPORT);
        }
        if (!args.has("nqn")) {
            text.append(",nqn=").append(ConnectOptions.DISCOVERY_NQN);
        }
        ConnectOptions options = ConnectOptions.parse(text.toString());
        List<ClaimVerdict> verdicts = inspector().claims(options);
        String target = options.traddr() + ":" + options.trsvcid();
        Optional<ClaimVerdict> winner = verdicts.stream().filter(v -> v.verdict() == Verdict.WINS).findFirst();
        String summary = summary(target, winner, verdicts);
        if (json) {
            Map<String, Object> root = Json.object();
            root.put("target", target);
            root.put("winner", winner.map(ClaimVerdict::device).orElse(null));
            List<Object> claims = Json.array();
            int rank = 0;
            for (ClaimVerdict v : verdicts) {
                Map<String, Object> claim = Json.object();
                claim.put("rank", ranked(v) ? ++rank : null);
                claim.put("device", v.device());
                claim.put("verdict", v.verdict().name());
                claim.put("reason", v.reason());
                v.claim().ifPresent(c -> {
                    claim.put("local_address", c.localAddress().getHostAddress());
                    claim.put("route_prefix", c.routePrefixLength());
                    claim.put("link_speed_bps", c.linkSpeedBitsPerSecond());
                    claim.put("free_vectors", c.freeHardwareVectors());
                    claim.put("active_queues", c.activeQueues());
                    claim.put("honoured_opts", new ArrayList<Object>(new TreeSet<>(c.honouredOptions())));
                });
                claims.add(claim);
            }
            root.put("claims", claims);
            root.put("summary", summary);
            out.println(Json.write(root));
            return;
        }
        out.printf(CLAIM_ROW, "Rank", "Device", "Verdict", "Local address", "Route", "Link", "Free", "Active",
                "Reason");
        int rank = 0;
        for (ClaimVerdict v : verdicts) {
            String position = ranked(v) ? String.valueOf(++rank) : "-";
            Optional<OffloadClaim> c = v.claim();
            out.printf(CLAIM_ROW, position, v.device(), v.verdict().name(),
                    c.map(x -> x.localAddress().getHostAddress()).orElse("-"),
                    c.map(x -> "/" + x.routePrefixLength()).orElse("-"),
                    c.map(x -> speed(x.linkSpeedBitsPerSecond())).orElse("-"),
                    c.map(x -> String.valueOf(x.freeHardwareVectors())).orElse("-"),
                    c.map(x -> String.valueOf(x.activeQueues())).orElse("-"), v.reason());
        }
        out.println(summary);
    }

    /** A claim has a place in the ranking; a decline or a device that left has none. */
    private static boolean ranked(ClaimVerdict v) {
        return v.verdict() == Verdict.WINS || v.verdict() == Verdict.LOSES;
    }

    private static String summary(String target, Optional<ClaimVerdict> winner, List<ClaimVerdict> verdicts) {
        if (winner.isPresent()) {
            ClaimVerdict w = winner.get();
            return "=> " + w.device() + " would carry the connection to " + target
                    + w.claim().map(c -> " from " + c.localAddress().getHostAddress()).orElse("");
        }
        if (verdicts.isEmpty()) {
            return "=> no device would carry the connection to " + target + ": no offload device is registered";
        }
        boolean claimed = verdicts.stream().anyMatch(v -> v.verdict() == Verdict.LOSES);
        StringBuilder why = new StringBuilder();
        for (ClaimVerdict v : verdicts) {
            why.append(why.length() == 0 ? "" : "; ").append(v.device()).append(": ").append(v.reason());
        }
        return "=> no device would carry the connection to " + target + ": "
                + (claimed ? "none honours every requested option" : "none claims it") + " (" + why + ")";
    }

    private void queues(Args args, PrintStream out) {
        boolean json = args.json();
        List<OffloadDeviceInfo> devices = inspector().devices();
        if (json) {
            List<Object> list = Json.array();
            for (OffloadDeviceInfo d : devices) {
                for (OffloadQueueInfo q : d.queues()) {
                    Map<String, Object> queue = Json.object();
                    queue.put("device", d.name());
                    queue.put("subnqn", q.subsystemNqn());
                    queue.put("target", q.target());
                    queue.put("qid", q.qid());
                    queue.put("queue_size", q.queueSize());
                    queue.put("polled", q.polled());
                    queue.put("hdr_digest", q.headerDigest());
                    queue.put("data_digest", q.dataDigest());
                    list.add(queue);
                }
            }
            out.println(Json.write(list));
            return;
        }
        out.printf(QUEUE_ROW, "Device", "Subsystem NQN", "Target", "QID", "Size", "Polled", "HDGST", "DDGST");
        for (OffloadDeviceInfo d : devices) {
            for (OffloadQueueInfo q : d.queues()) {
                out.printf(QUEUE_ROW, d.name(), q.subsystemNqn(), q.target(), q.qid(), q.queueSize(),
                        q.polled() ? "yes" : "no", q.headerDigest() ? "on" : "off", q.dataDigest() ? "on" : "off");
            }
        }
    }

    /** {@code 25 Gb/s}, {@code 100 Mb/s}. */
    static String speed(long bits) {
        if (bits >= 1_000_000_000L && bits % 1_000_000_000L == 0) {
            return bits / 1_000_000_000L + " Gb/s";
        }
        if (bits >= 1_000_000L && bits % 1_000_000L == 0) {
            return bits / 1_000_000L + " Mb/s";
        }
        return bits + " b/s";
    }

    /** {@code 128 KiB}, {@code 1 MiB}. */
    static String binary(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " B";
    }
}
