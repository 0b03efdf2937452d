package dev.nvmeof.appliance.target;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.nvmeof.target.ConfigValues;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * What the appliance serves, from command-line arguments over an optional properties file. Every option has a key of
 * the same name in the file ({@code listen=127.0.0.1:4420,127.0.0.1:8009}); repeatable options take a comma-separated
 * list there, and an option given on the command line replaces the file's value(s) for that key; a flag
 * ({@code --dhchap-required}) is {@code true} or {@code false} there. {@code -v}/{@code -vv} ({@code verbosity} 1/2)
 * are command-line only: INFO/DEBUG records on stderr too.
 */
record ApplianceConfig(List<Listener> listeners, String nqn, List<NamespaceConfig> namespaces,
        Set<String> allowedHosts, int maxIoQueues, int eventLoops, Caps caps, SecurityOptions security, int verbosity,
        boolean help) {

    /**
     * A listener and its TLS requirement, as Linux nvmet's port attributes set it: {@code --listen} is addr_tsas
     * none, {@code --tls-listen} addr_tsas tls1.3 with addr_treq required, {@code --tls-allowed-listen} addr_tsas
     * tls1.3 with addr_treq not required (TLS and plain hosts both).
     */
    record Listener(InetSocketAddress address, ListenerSecurity.Tls tls) {
    }

    /** The target's resource caps (each refused cleanly when reached). */
    record Caps(int maxConnections, int maxConnectionsPerAddress, int maxControllers, int maxTransferSize) {
        static final Caps DEFAULTS = new Caps(TargetOptions.DEFAULT_MAX_CONNECTIONS,
                TargetOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, TargetOptions.DEFAULT_MAX_CONTROLLERS,
                TargetOptions.DEFAULT_MAX_TRANSFER_SIZE);

        TargetOptions applyTo(TargetOptions options) {
            return options.withMaxConnections(maxConnections).withMaxConnectionsPerAddress(maxConnectionsPerAddress)
                    .withMaxControllers(maxControllers).withMaxTransferSize(maxTransferSize);
        }
    }

    static final String DEFAULT_NQN = "testnqn";
    static final long DEFAULT_RAM_BYTES = 256L << 20;
    static final int DEFAULT_BLOCK_SIZE = 512;

    /** A bad argument or configuration value; the message names it. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** A namespace as asked for, before NSIDs and the block size are applied. */
    private record NamespaceSpec(String option, Path file, long bytes) {
    }

    /** The listener options by the TLS requirement of their listeners. */
    private static final Map<String, ListenerSecurity.Tls> LISTEN = Map.of("listen", ListenerSecurity.Tls.NONE,
            "tls-listen", ListenerSecurity.Tls.REQUIRED, "tls-allowed-listen", ListenerSecurity.Tls.ALLOWED);
    private static final Set<String> REPEATABLE = Set.of("listen", "tls-listen", "tls-allowed-listen",
            "ram-namespace", "file-namespace", "allow-host");
    private static final Set<String> SINGLE = Set.of("nqn", "block-size", "max-io-queues", "event-loops", "config",
            "max-connections", "max-connections-per-address", "max-controllers", "max-transfer-size",
            "tls-keyring", "dhchap-keyring", SecurityOptions.DHCHAP_HASHES, SecurityOptions.DHCHAP_GROUPS);
    /** Options without a value on the command line ({@code --x} is {@code x=true}). */
    private static final Set<String> FLAGS = Set.of(SecurityOptions.DHCHAP_REQUIRED);

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar nvmeof-target.jar [options]",
            "",
            "Runs an NVMe/TCP target serving one NVM subsystem (and the discovery subsystem on every listener).",
            "",
            "  --listen HOST:PORT          listen on this address (repeatable; port 0 picks a free one)",
            "                              default, with no listener option: 127.0.0.1:4420 and 127.0.0.1:8009",
            "  --tls-listen HOST:PORT      a listener for NVMe/TCP over TLS 1.3 only (repeatable; nvmet's",
            "                              addr_tsas=tls1.3, addr_treq=required)",
            "  --tls-allowed-listen HOST:PORT",
            "                              a listener for TLS and plain hosts both (repeatable; addr_treq=",
            "                              not required)",
            "  --tls-keyring FILE          the hosts' TLS PSKs, needed with a TLS listener: per line",
            "                              '<host NQN> <subsystem NQN> NVMeTLSkey-1:hh:<base64>:', mode 600",
            "  --nqn NQN                   subsystem NQN (default: testnqn)",
            "  --ram-namespace SIZE        a RAM namespace (repeatable)",
            "  --file-namespace PATH:SIZE  a namespace in a file, created or extended to SIZE (repeatable)",
            "                              NSIDs are 1, 2, ... in the order given; with no namespace option,",
            "                              one 256M RAM namespace",
            "  --block-size 512|4096       logical block size of every namespace (default: 512)",
            "  --allow-host NQN            only these host NQNs may connect (repeatable; default: any host)",
            "  --dhchap-keyring FILE       DH-HMAC-CHAP: per line '<host NQN> <secret> [<controller secret>]'",
            "                              (DHHC-1 secrets), mode 600; each host listed authenticates every queue",
            "  --dhchap-required           with --dhchap-keyring: hosts not in it may not connect",
            "  --dhchap-hashes LIST        with --dhchap-keyring: the hashes accepted, in order of preference",
            "                              (sha256,sha384,sha512; default sha512,sha384,sha256)",
            "  --dhchap-groups LIST        with --dhchap-keyring: the DH groups accepted, in order of preference",
            "                              (null,ffdhe2048,...,ffdhe8192; default every ffdhe group, strongest",
            "                              first; null, plain HMAC-CHAP without a DH exchange, only if listed)",
            "  --max-io-queues N           I/O queues granted per controller (default: 128)",
            "  --event-loops N             NIO event loop threads (default: CPU count)",
            "  --max-connections N         open connections in total; more are closed at accept (default: 4096)",
            "  --max-connections-per-address N",
            "                              open connections from one host address (default: 1024)",
            "  --max-controllers N         controllers per subsystem; more Connects get Controller Busy",
            "                              (default: 1024)",
            "  --max-transfer-size SIZE    the most one I/O command moves (Identify MDTS): a power of two",
            "                              from 8K to 256M (default: 1M); data moves in 128 KiB PDUs",
            "  --config FILE               a properties file with the same keys (listen=..., nqn=..., ...);",
            "                              lists comma-separated; command-line options replace its values",
            "  -v, -vv                     INFO (-v) or DEBUG (-vv, in log/target.log too) records on stderr;",
            "                              by default only warnings and errors, one line each",
            "  --help                      this text",
            "",
            "SIZE is bytes with an optional K, M, G or T suffix (binary: 256M = 256 MiB).",
            "Log records go to log/target.log under the working directory, one line each.",
            "Exit status: 0 after a clean stop on SIGTERM/SIGINT (or --help), 1 when the target cannot start",
            "(e.g. an address in use, a keyring that cannot be read or is open to others) or its shutdown",
            "fails, 2 for a bad argument.");

    /** Parses the command line, reading the {@code --config} file first when one is named. */
    static ApplianceConfig parse(String... args) throws UsageException {
        Map<String, List<String>> cli = new LinkedHashMap<>();
        boolean help = false;
        int verbosity = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("-v") || arg.equals("-vv")) {
                verbosity = Math.max(verbosity, arg.length() - 1);
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (!REPEATABLE.contains(key) && !SINGLE.contains(key) && !FLAGS.contains(key)) {
                throw new UsageException("unknown option --" + key);
            }
            if (value == null && FLAGS.contains(key)) {
                value = "true"; // a flag never takes the next argument
            } else if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            cli.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        if (help) {
            return new ApplianceConfig(List.of(), DEFAULT_NQN, List.of(), Set.of(), 0, 1, Caps.DEFAULTS,
                    SecurityOptions.NONE, verbosity, true);
        }
        Map<String, List<String>> merged = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        List<String> config = cli.remove("config");
        if (config != null) {
            String file = last(config);
            for (Map.Entry<String, List<String>> e : readConfig(Path.of(file)).entrySet()) {
                merged.put(e.getKey(), e.getValue());
                origin.put(e.getKey(), "'" + e.getKey() + "' in " + file);
            }
        }
        for (Map.Entry<String, List<String>> e : cli.entrySet()) {
            merged.put(e.getKey(), e.getValue());
            origin.put(e.getKey(), "--" + e.getKey());
        }
        // Namespaces: the command line's replace the file's as a whole (both kinds), so NSIDs follow one order.
        if (cli.containsKey("ram-namespace") || cli.containsKey("file-namespace")) {
            if (!cli.containsKey("ram-namespace")) {
                merged.remove("ram-namespace");
            }
            if (!cli.containsKey("file-namespace")) {
                merged.remove("file-namespace");
            }
        }
        return build(merged, origin, nsOrder(args, merged), verbosity);
    }

    /** Namespace options in the order given on the command line (file-only ones: RAM first, then files). */
    private static List<String> nsOrder(String[] args, Map<String, List<String>> merged) {
        List<String> order = new ArrayList<>();
        boolean fromCli = false;
        for (String arg : args) {
            if (arg.equals("--ram-namespace") || arg.startsWith("--ram-namespace=")) {
                order.add("ram-namespace");
                fromCli = true;
            } else if (arg.equals("--file-namespace") || arg.startsWith("--file-namespace=")) {
                order.add("file-namespace");
                fromCli = true;
            }
        }
        if (!fromCli) {
            merged.getOrDefault("ram-namespace", List.of()).forEach(v -> order.add("ram-namespace"));
            merged.getOrDefault("file-namespace", List.of()).forEach(v -> order.add("file-namespace"));
        }
        return order;
    }

    private static Map<String, List<String>> readConfig(Path file) throws UsageException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("--config: no such file " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--config: cannot read " + file + ": " + e);
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(key).trim();
            if (key.equals("config") || (!REPEATABLE.contains(key) && !SINGLE.contains(key)
                    && !FLAGS.contains(key))) {
                throw new UsageException("unknown key '" + key + "' in " + file);
            }
            List<String> list = new ArrayList<>();
            if (REPEATABLE.contains(key)) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        list.add(item.trim());
                    }
                }
            } else {
                list.add(value);
            }
            values.put(key, list);
        }
        return values;
    }

    private static ApplianceConfig build(Map<String, List<String>> values, Map<String, String> origin,
            List<String> nsOrder, int verbosity) throws UsageException {
        List<Listener> listeners = new ArrayList<>();
        for (String key : List.of("listen", "tls-listen", "tls-allowed-listen")) {
            for (String value : values.getOrDefault(key, List.of())) {
                listeners.add(new Listener(address(origin.get(key), value), LISTEN.get(key)));
            }
        }
        if (listeners.isEmpty()) {
            listeners.add(new Listener(new InetSocketAddress("127.0.0.1", NvmeTarget.DEFAULT_PORT),
                    ListenerSecurity.Tls.NONE));
            listeners.add(new Listener(new InetSocketAddress("127.0.0.1", NvmeTarget.DISCOVERY_PORT),
                    ListenerSecurity.Tls.NONE));
        }
        SecurityOptions security = SecurityOptions.from(values, origin);

        String nqn = values.containsKey("nqn") ? last(values.get("nqn")) : DEFAULT_NQN;
        int blockSize = values.containsKey("block-size")
                ? integer(origin.get("block-size"), last(values.get("block-size")), 0, Integer.MAX_VALUE)
                : DEFAULT_BLOCK_SIZE;
        if (blockSize != 512 && blockSize != 4096) {
            throw new UsageException(origin.get("block-size") + ": must be 512 or 4096, was " + blockSize);
        }
        int maxIoQueues = values.containsKey("max-io-queues")
                ? integer(origin.get("max-io-queues"), last(values.get("max-io-queues")), 1, 0xFFFF)
                : SubsystemConfig.DEFAULT_MAX_IO_QUEUES;
        int eventLoops = values.containsKey("event-loops")
                ? integer(origin.get("event-loops"), last(values.get("event-loops")), 1, 1024)
                : Runtime.getRuntime().availableProcessors();

        Caps caps = new Caps(
                optionalInteger(values, origin, "max-connections", 1, Integer.MAX_VALUE,
                        TargetOptions.DEFAULT_MAX_CONNECTIONS),
                optionalInteger(values, origin, "max-connections-per-address", 1, Integer.MAX_VALUE,
                        TargetOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
                optionalInteger(values, origin, "max-controllers", 1, TargetOptions.MAX_CNTLID,
                        TargetOptions.DEFAULT_MAX_CONTROLLERS),
                transferSize(values, origin));

        List<NamespaceSpec> specs = new ArrayList<>();
        int ram = 0;
        int file = 0;
        for (String kind : nsOrder) {
            if (kind.equals("ram-namespace")) {
                String option = origin.get(kind);
                specs.add(new NamespaceSpec(option, null, size(option, values.get(kind).get(ram++))));
            } else {
                String option = origin.get(kind);
                String value = values.get(kind).get(file++);
                int colon = value.lastIndexOf(':');
                if (colon <= 0 || colon == value.length() - 1) {
                    throw new UsageException(option + ": expected PATH:SIZE, was '" + value + "'");
                }
                specs.add(new NamespaceSpec(option, Path.of(value.substring(0, colon)),
                        size(option, value.substring(colon + 1))));
            }
        }
        if (specs.isEmpty()) {
            specs.add(new NamespaceSpec("default namespace", null, DEFAULT_RAM_BYTES));
        }
        List<NamespaceConfig> namespaces = new ArrayList<>();
        for (NamespaceSpec spec : specs) {
            int nsid = namespaces.size() + 1;
            if (spec.bytes() % blockSize != 0) {
                throw new UsageException(spec.option() + ": size " + spec.bytes() + " is not a multiple of the "
                        + blockSize + "-byte block size");
            }
            namespaces.add(spec.file() == null ? NamespaceConfig.ram(nsid, spec.bytes(), blockSize)
                    : NamespaceConfig.file(nsid, spec.file().toAbsolutePath(), spec.bytes(), blockSize));
        }

        Set<String> hosts = new LinkedHashSet<>(values.getOrDefault("allow-host", List.of()));
        for (String host : hosts) {
            if (host.isEmpty() || host.getBytes(StandardCharsets.UTF_8).length > 223) {
                throw new UsageException(origin.get("allow-host") + ": an NQN is 1..223 bytes, was '" + host + "'");
            }
        }
        ApplianceConfig config = new ApplianceConfig(List.copyOf(listeners), nqn, List.copyOf(namespaces),
                Set.copyOf(hosts), maxIoQueues, eventLoops, caps, security, verbosity, false);
        try {
            config.subsystem(); // the target's own checks of the NQN and limits
        } catch (IllegalArgumentException e) {
            throw new UsageException(origin.getOrDefault("nqn", "--nqn") + ": " + e.getMessage());
        }
        return config;
    }

    SubsystemConfig subsystem() {
        SubsystemConfig config = SubsystemConfig.of(nqn, namespaces.toArray(NamespaceConfig[]::new))
                .withMaxIoQueues(maxIoQueues);
        return allowedHosts.isEmpty() ? config : config.withAllowedHosts(allowedHosts);
    }

    private static int transferSize(Map<String, List<String>> values, Map<String, String> origin)
            throws UsageException {
        if (!values.containsKey("max-transfer-size")) {
            return TargetOptions.DEFAULT_MAX_TRANSFER_SIZE;
        }
        String option = origin.get("max-transfer-size");
        long bytes = size(option, last(values.get("max-transfer-size")));
        if (Long.bitCount(bytes) != 1 || bytes < TargetOptions.MIN_TRANSFER_SIZE
                || bytes > TargetOptions.MAX_TRANSFER_SIZE) {
            throw new UsageException(option + ": must be a power of two from 8K to 256M, was " + bytes);
        }
        return (int) bytes;
    }

    private static int optionalInteger(Map<String, List<String>> values, Map<String, String> origin, String key,
            int min, int max, int fallback) throws UsageException {
        return values.containsKey(key) ? integer(origin.get(key), last(values.get(key)), min, max) : fallback;
    }

    static String last(List<String> values) {
        return values.get(values.size() - 1);
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT}; the host is resolved now (a literal address needs no lookup). */
    static InetSocketAddress address(String option, String value) throws UsageException {
        try {
            return ConfigValues.address(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    static int integer(String option, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new UsageException(option + ": must be " + min + ".." + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a number: '" + value + "'");
        }
    }

    /** Bytes with an optional binary suffix K, M, G or T (also KiB/KB, case-insensitive). */
    static long size(String option, String value) throws UsageException {
        try {
            return ConfigValues.size(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** 268435456 -> "256 MiB"; sizes that are no whole KiB stay in bytes. */
    static String human(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}
