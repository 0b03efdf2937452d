package dev.nvmeof.demo.internal;

import java.util.Locale;

/**
 * The demo's command line, in nvme-cli's spelling: {@code -t|--transport tcp|tcp_offload}, {@code -a|--traddr ADDR},
 * {@code -s|--trsvcid PORT}, {@code -n|--nqn NQN}, {@code -g|--hdr-digest}, {@code -G|--data-digest},
 * {@code --size BYTES} (the data checked, e.g. {@code 8M}); {@code -v}/{@code -vv} are the console's (more records on
 * the console) and skipped here.
 * Without {@code -a} the demo serves its own embedded target on 127.0.0.1 at {@code -s} (default 4420).
 *
 * @param traddr the target's address, or null for the embedded target
 */
public record DemoOptions(String transport, String traddr, int trsvcid, String nqn, long checkBytes,
        boolean hdrDigest, boolean dataDigest, int perfSeconds) {
    public static final String USAGE = "usage: demo [-t tcp|tcp_offload] [-a ADDR] [-s PORT] [-n NQN] [-g] [-G]"
            + " [--size BYTES] [--perf SECONDS] [-v|-vv]\n"
            + "  --perf SECONDS: the nvme perf run on tcp and on tcp_offload, side by side (default 2; 0: none)\n"
            + "  -g, --hdr-digest / -G, --data-digest: ask for the header / data digest, as nvme connect does\n"
            + "  without -a: serves an embedded target on 127.0.0.1:PORT (default 4420) and connects to it\n"
            + "  -v, -vv: INFO / DEBUG log records on the console too (log/demo.log has INFO and up)";
    static final long DEFAULT_CHECK_BYTES = 8L << 20;
    static final int DEFAULT_PERF_SECONDS = 2;

    /** The defaults: {@code -t tcp_offload -s 4420 -n testnqn}, the embedded target, an 8 MiB data check. */
    public static DemoOptions defaults() {
        return new DemoOptions("tcp_offload", null, 4420, "testnqn", DEFAULT_CHECK_BYTES, false, false,
                DEFAULT_PERF_SECONDS);
    }

    /** Whether the demo connects to its own embedded target (it may overwrite data there). */
    public boolean embeddedTarget() {
        return traddr == null;
    }

    /** The fabrics options of {@code nvme connect} for these arguments. */
    public String fabricsOptions() {
        return fabricsOptions(transport);
    }

    /** The same over another transport (the perf comparison connects over each). */
    public String fabricsOptions(String overTransport) {
        return "transport=" + overTransport + ",traddr=" + (traddr == null ? "127.0.0.1" : traddr) + ",trsvcid="
                + trsvcid + ",nqn=" + nqn + (hdrDigest ? ",hdr_digest" : "") + (dataDigest ? ",data_digest" : "");
    }

    /** Parses the command line; a bad or unknown argument is refused with a message naming it. */
    public static DemoOptions parse(String... args) {
        DemoOptions o = defaults();
        String transport = o.transport;
        String traddr = o.traddr;
        int trsvcid = o.trsvcid;
        String nqn = o.nqn;
        long size = o.checkBytes;
        boolean hdrDigest = false;
        boolean dataDigest = false;
        int perfSeconds = o.perfSeconds;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.matches("-[gG]{2,}")) { // grouped flags, as getopt takes them
                hdrDigest |= arg.indexOf('g') > 0;
                dataDigest |= arg.indexOf('G') > 0;
                continue;
            }
            switch (arg) {
                case "-t", "--transport" -> {
                    transport = value(args, ++i, arg);
                    if (!transport.equals("tcp") && !transport.equals("tcp_offload")) {
                        throw new IllegalArgumentException(arg + ": transport must be tcp or tcp_offload, was "
                                + transport);
                    }
                }
                case "-a", "--traddr" -> traddr = value(args, ++i, arg);
                case "-s", "--trsvcid" -> trsvcid = port(value(args, ++i, arg), arg);
                case "-n", "--nqn" -> nqn = value(args, ++i, arg);
                case "--size" -> size = size(value(args, ++i, arg), arg);
                case "--perf" -> perfSeconds = seconds(value(args, ++i, arg), arg);
                case "-g", "--hdr-digest" -> hdrDigest = true;
                case "-v", "-vv" -> {
                    // the console's: more log records on the console (INFO, DEBUG)
                }
                case "-G", "--data-digest" -> dataDigest = true;
                default -> throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
            }
        }
        return new DemoOptions(transport, traddr, trsvcid, nqn, size, hdrDigest, dataDigest, perfSeconds);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].isBlank()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int seconds(String value, String option) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= 600) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalArgumentException(option + ": seconds from 0 to 600, was " + value);
    }

    private static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalArgumentException(option + ": a port is 1..65535, was " + value);
    }

    /** A byte count with an optional K/M/G suffix (binary), a positive multiple of 4096. */
    static long size(String value, String option) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        try {
            long bytes = Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
            if (bytes > 0 && bytes % 4096 == 0) {
                return bytes;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new IllegalArgumentException(option + ": a size is a positive multiple of 4096 bytes (e.g. 8M), was "
                + value);
    }
}
