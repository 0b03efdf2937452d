package dev.nvmeof.benchmarks.cpu;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.CpuAccounting;

/**
 * Benchmark "c" of the shared {@code BENCHMARKS.md}: host CPU per I/O at a fixed offered load, {@code tcp} against
 * {@code tcp_offload}. One JVM holds the whole stack ({@link Rig}); a paced, open-loop load ({@link PacedReads})
 * reads at a fixed rate; over each round {@link CpuAccounting} splits the JVM's CPU time into host, NIC engine,
 * target and JVM (GC, JIT), divided by the reads completed in the round. Variants run interleaved, {@code tcp} then
 * {@code tcp_offload} for each size, every round; the figures are the per-round ratios' median, min and max.
 *
 * <pre>
 * java -cp features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.cpu.CpuPerIo [options]
 *   --rounds 5 --round 10 --warmup 3      rounds, seconds per variant per round, warm-up seconds per variant
 *   --calibrate 3                         seconds per round of the load alone ({@link NullDevice}) at each rate
 *   --iops4k 20000 --iops128k 7630        offered load (7630 x 128 KiB = 1.0 GB/s)
 *   --sizes 4k,128k,128k-dd               which pairs to run
 *   --placement none|colocated[:cpu]|split[:host,far]   see {@link Placement}
 *   --depth 32 --namespace-mib 64 --sample-every 64
 * </pre>
 */
public final class CpuPerIo {

    /** The sizes compared, each a pair of variants ({@code tcp}, {@code tcp_offload}); the shared doc's targets. */
    public enum Size {
        K4("4k", "4 KiB", 4096, false, 0.6),
        K128("128k", "128 KiB", 128 * 1024, false, Double.NaN),
        K128_DD("128k-dd", "128 KiB, data digest", 128 * 1024, true, 0.3);

        final String key;
        final String label;
        final int ioSize;
        final boolean dataDigest;
        final double hostTarget;

        Size(String key, String label, int ioSize, boolean dataDigest, double hostTarget) {
            this.key = key;
            this.label = label;
            this.ioSize = ioSize;
            this.dataDigest = dataDigest;
            this.hostTarget = hostTarget;
        }

        static Size of(String key) {
            for (Size s : values()) {
                if (s.key.equals(key)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("size 4k, 128k or 128k-dd, not " + key);
        }

        public String label() {
            return label;
        }
    }

    /** The target for (host + NIC) of {@code tcp_offload} over {@code tcp}, every size. */
    public static final double TOTAL_TARGET = 1.2;
    /** Others' CPU above this (% of one CPU) flags a round as noisy. */
    public static final double NOISY_PERCENT = 5.0;
    static final String[] TRANSPORTS = {"tcp", "tcp_offload"};
    /** The calibration variant: the load against {@link NullDevice}, what the load itself costs at a rate. */
    static final String LOAD_ONLY = "load-only";

    /** How to run. Durations in seconds; {@code calibrateSeconds} 0 skips the load-only rounds. */
    public record Config(int rounds, double roundSeconds, double warmupSeconds, double calibrateSeconds,
            double iops4k, double iops128k, List<Size> sizes, String placement, int depth, int namespaceMiB,
            int sampleEvery) {

        public static Config defaults() {
            return parse(new String[0]);
        }

        static Config parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("--rounds", "5");
            o.put("--round", "10");
            o.put("--warmup", "3");
            o.put("--calibrate", "3");
            o.put("--iops4k", "20000");
            o.put("--iops128k", "7630");
            o.put("--sizes", "4k,128k,128k-dd");
            o.put("--placement", "none");
            o.put("--depth", "32");
            o.put("--namespace-mib", "64");
            o.put("--sample-every", "64");
            for (int i = 0; i < args.length; i += 2) {
                if (!o.containsKey(args[i])) {
                    throw new IllegalArgumentException(args[i].equals("-h") || args[i].equals("--help") ? "help"
                            : "unknown option " + args[i]);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                o.put(args[i], args[i + 1]);
            }
            return new Config(Integer.parseInt(o.get("--rounds")), Double.parseDouble(o.get("--round")),
                    Double.parseDouble(o.get("--warmup")), Double.parseDouble(o.get("--calibrate")),
                    Double.parseDouble(o.get("--iops4k")), Double.parseDouble(o.get("--iops128k")),
                    Arrays.stream(o.get("--sizes").split(",")).map(Size::of).toList(), o.get("--placement"),
                    Integer.parseInt(o.get("--depth")), Integer.parseInt(o.get("--namespace-mib")),
                    Integer.parseInt(o.get("--sample-every")));
        }

        double rate(Size size) {
            return size.ioSize == 4096 ? iops4k : iops128k;
        }
    }

    /**
     * One variant in one round. CPU figures are microseconds per completed read; {@code hostUs} has the load's own
     * verification work (zeroing and checking the sampled buffers) taken out.
     */
    public record Row(int round, Size size, String transport, PacedReads.Result load, CpuAccounting.Snapshot cpu,
            ProcCpu.Noise noise, double offeredRate) {

        public long completions() {
            return load.completions();
        }

        double perIo(long nanos) {
            return load.completions() == 0 ? Double.NaN : nanos / 1e3 / load.completions();
        }

        public double hostUs() {
            return perIo(cpu.hostNanos() - load.verifyCpuNanos());
        }

        public double nicUs() {
            return perIo(cpu.nicEngineNanos());
        }

        public double targetUs() {
            return perIo(cpu.targetNanos());
        }

        public double jvmUs() {
            return perIo(cpu.jvmNanos());
        }

        public double achievedRate() {
            return load.completions() / (load.elapsedNanos() / 1e9);
        }

        public boolean noisy() {
            return noise.othersPercent() > NOISY_PERCENT;
        }

        /** Fewer than 95 % of the offered reads completed: the machine did not sustain the load. */
        public boolean unsustained() {
            return achievedRate() < 0.95 * offeredRate;
        }
    }

    /**
     * One round's ratios for one size, {@code tcp_offload} over {@code tcp}: host CPU per I/O; host + NIC engine; all
     * four classes; and the first two again with the load's own cost at that rate (the same round's
     * {@link #LOAD_ONLY} host figure, NaN without one) taken out of both host figures: the stack alone.
     */
    public record Ratio(int round, Size size, double host, double hostPlusNic, double all, double hostStack,
            double hostStackPlusNic, boolean noisy) {
    }

    /** {median, min, max} of a size's per-round ratios. */
    public record Summary(Size size, double[] host, double[] hostPlusNic, double[] all, double[] hostStack,
            double[] hostStackPlusNic, int rounds, int noisyRounds) {
    }

    /** Everything one run measured. */
    public record Report(List<Row> rows, List<Ratio> ratios, List<Summary> summaries,
            Map<String, Map<String, Double>> threadUsPerIo, Map<String, Map<String, Double>> threadWakesPerIo) {
    }

    private CpuPerIo() {
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("help") ? "" : e.getMessage());
            System.err.println("usage: CpuPerIo [--rounds N] [--round S] [--warmup S] [--iops4k R] [--iops128k R]"
                    + " [--calibrate S] [--sizes 4k,128k,128k-dd] [--placement none|colocated[:cpu]|split[:host,far]] [--depth N]"
                    + " [--namespace-mib N] [--sample-every N]");
            System.exit(2);
            return;
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING); // connect/teardown INFO
        Report report = run(config, System.out);
        boolean bad = report.rows.stream().anyMatch(r -> r.load.failures() > 0 || r.load.verifyFailures() > 0);
        System.exit(bad ? 1 : 0);
    }

    /** Runs the benchmark and prints its report (Markdown) to {@code out}. */
    public static Report run(Config config, PrintStream out) throws Exception {
        Placement placement = Placement.parse(config.placement);
        long namespaceBytes = (long) config.namespaceMiB << 20;
        out.printf(Locale.ROOT, "# benchmark c: CPU per I/O, tcp vs tcp_offload (%s)%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.printf(Locale.ROOT, "%s; %d rounds x %.1f s per variant (load-only %.1f s) after %.1f s warm-up per"
                + " variant; offered %,.0f"
                + " IOPS at 4 KiB, %,.0f IOPS at 128 KiB (%.2f GB/s); %d slots; namespace %d MiB RAM; every %d-th read"
                + " verified; placement: %s; java %s, %d CPUs%n%n", "random reads", config.rounds,
                config.roundSeconds, config.calibrateSeconds, config.warmupSeconds, config.iops4k, config.iops128k,
                config.iops128k * 131072 / 1e9, config.depth, config.namespaceMiB, config.sampleEvery,
                placement.describe(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Row> rows = new ArrayList<>();
        Map<String, Map<String, Long>> threadNanos = new LinkedHashMap<>();
        Map<String, Map<String, Long>> threadSwitches = new LinkedHashMap<>();
        Map<String, Long> variantCompletions = new HashMap<>();
        try (Rig rig = Rig.start(namespaceBytes); PacedReads load = new PacedReads(config.depth, 128 * 1024)) {
            Map<Size, BlockDevice[]> devices = new EnumMap<>(Size.class);
            Map<Boolean, BlockDevice[]> byDigest = new HashMap<>();
            for (Size size : config.sizes) {
                BlockDevice[] pair = byDigest.get(size.dataDigest);
                if (pair == null) {
                    pair = new BlockDevice[TRANSPORTS.length];
                    for (int t = 0; t < TRANSPORTS.length; t++) {
                        Rig.Connection c = rig.connect(TRANSPORTS[t], size.dataDigest);
                        out.printf("- %s%s: %s, %s%n", TRANSPORTS[t], size.dataDigest ? " (data digest)" : "",
                                c.controller().name(), c.controller().transportDescription());
                        pair[t] = c.device();
                    }
                    byDigest.put(size.dataDigest, pair);
                }
                devices.put(size, pair);
            }
            Rig.fill(devices.get(config.sizes.get(0))[0], namespaceBytes);
            out.printf("- namespace filled with the pattern through %s%n", devices.get(config.sizes.get(0))[0].name());
            out.printf("- threads moved by the placement: %d%n%n", placement.apply());

            for (Size size : config.sizes) {
                for (int t = 0; t < TRANSPORTS.length; t++) {
                    PacedReads.Result warm = load.run(devices.get(size)[t], namespaceBytes, size.ioSize,
                            config.rate(size), seconds(config.warmupSeconds), config.sampleEvery);
                    check(warm, "warm-up " + size.key + " " + TRANSPORTS[t]);
                }
            }
            NullDevice nothing = new NullDevice(namespaceBytes);
            for (int round = 1; round <= config.rounds; round++) {
                if (config.calibrateSeconds > 0) {
                    List<Double> rates = new ArrayList<>();
                    for (Size size : config.sizes) {
                        if (!rates.contains(config.rate(size))) {
                            rates.add(config.rate(size));
                            rows.add(measure(config, placement, load, round, size, LOAD_ONLY, nothing, namespaceBytes,
                                    config.calibrateSeconds, 0, threadNanos, threadSwitches, variantCompletions));
                        }
                    }
                }
                for (Size size : config.sizes) {
                    for (int t = 0; t < TRANSPORTS.length; t++) {
                        rows.add(measure(config, placement, load, round, size, TRANSPORTS[t], devices.get(size)[t],
                                namespaceBytes, config.roundSeconds, config.sampleEvery, threadNanos, threadSwitches,
                                variantCompletions));
                    }
                }
            }
        }
        List<Ratio> ratios = ratios(rows);
        List<Summary> summaries = summaries(config.sizes, ratios);
        Map<String, Map<String, Double>> threadUs = new LinkedHashMap<>();
        Map<String, Map<String, Double>> threadWakes = new LinkedHashMap<>();
        threadNanos.forEach((variant, byThread) -> {
            Map<String, Double> us = new LinkedHashMap<>();
            Map<String, Double> wakes = new LinkedHashMap<>();
            long completions = Math.max(1, variantCompletions.getOrDefault(variant, 1L));
            Map<String, Long> switches = threadSwitches.getOrDefault(variant, Map.of());
            byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> {
                        us.put(e.getKey(), e.getValue() / 1e3 / completions);
                        String comm = e.getKey().length() > 15 ? e.getKey().substring(0, 15) : e.getKey();
                        wakes.put(e.getKey(), switches.getOrDefault(comm, 0L) / (double) completions);
                    });
            threadUs.put(variant, us);
            threadWakes.put(variant, wakes);
        });
        Report report = new Report(rows, ratios, summaries, threadUs, threadWakes);
        print(report, out);
        return report;
    }

    /** One variant, one round: CPU by class around the load, noise from /proc around that. */
    private static Row measure(Config config, Placement placement, PacedReads load, int round, Size size,
            String transport, BlockDevice device, long namespaceBytes, double seconds, int sampleEvery,
            Map<String, Map<String, Long>> threadNanos, Map<String, Map<String, Long>> threadSwitches,
            Map<String, Long> variantCompletions) throws Exception {
        placement.apply();
        ProcCpu proc0 = ProcCpu.sample();
        Map<Long, Object[]> threads0 = threadCpu();
        Map<String, Long> switches0 = ProcCpu.threadSwitches();
        CpuAccounting.Snapshot cpu0 = CpuAccounting.snapshot();
        PacedReads.Result result = load.run(device, namespaceBytes, size.ioSize, config.rate(size), seconds(seconds),
                sampleEvery);
        CpuAccounting.Snapshot cpu = CpuAccounting.snapshot().minus(cpu0);
        Map<String, Long> switches1 = ProcCpu.threadSwitches();
        Map<Long, Object[]> threads1 = threadCpu();
        ProcCpu.Noise noise = ProcCpu.sample().since(proc0);
        check(result, "round " + round + " " + size.key + " " + transport);
        String variant = transport.equals(LOAD_ONLY) ? LOAD_ONLY + " " + (int) config.rate(size) + "/s"
                : size.key + " " + transport;
        addThreadDeltas(threadNanos.computeIfAbsent(variant, k -> new TreeMap<>()), threads0, threads1);
        Map<String, Long> variantSwitches = threadSwitches.computeIfAbsent(variant, k -> new TreeMap<>());
        switches1.forEach((name, n) -> {
            long delta = n - switches0.getOrDefault(name, 0L);
            if (delta > 0) {
                variantSwitches.merge(name, delta, Long::sum);
            }
        });
        variantCompletions.merge(variant, result.completions(), Long::sum);
        return new Row(round, size, transport, result, cpu, noise, config.rate(size));
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static void check(PacedReads.Result r, String what) {
        if (r.failures() > 0 || r.verifyFailures() > 0) {
            throw new IllegalStateException(what + ": " + r.failures() + " reads failed, " + r.verifyFailures()
                    + " of " + r.verified() + " verified reads had wrong data");
        }
    }

    /** Thread id -> {name, CPU nanos} of every live thread. */
    private static Map<Long, Object[]> threadCpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<Long, Object[]> byId = new HashMap<>();
        for (var info : bean.getThreadInfo(bean.getAllThreadIds(), 0)) {
            if (info != null) {
                byId.put(info.getThreadId(), new Object[] {info.getThreadName(),
                        bean.getThreadCpuTime(info.getThreadId())});
            }
        }
        return byId;
    }

    private static void addThreadDeltas(Map<String, Long> into, Map<Long, Object[]> before,
            Map<Long, Object[]> after) {
        after.forEach((id, now) -> {
            Object[] then = before.get(id);
            long delta = (long) now[1] - (then == null ? 0L : (long) then[1]);
            if (delta > 0) {
                into.merge((String) now[0], delta, Long::sum);
            }
        });
    }

    static List<Ratio> ratios(List<Row> rows) {
        List<Ratio> ratios = new ArrayList<>();
        Map<String, Row> tcp = new HashMap<>();
        Map<String, Row> loadOnly = new HashMap<>();
        for (Row r : rows) {
            if (r.transport.equals(LOAD_ONLY)) {
                loadOnly.put(r.round + "/" + r.offeredRate, r);
            } else if (r.transport.equals("tcp")) {
                tcp.put(r.round + "/" + r.size, r);
            } else {
                Row base = tcp.get(r.round + "/" + r.size);
                if (base != null) {
                    Row idle = loadOnly.get(r.round + "/" + r.offeredRate);
                    double load = idle == null ? Double.NaN : idle.hostUs();
                    double all = (r.hostUs() + r.nicUs() + r.targetUs() + r.jvmUs())
                            / (base.hostUs() + base.nicUs() + base.targetUs() + base.jvmUs());
                    ratios.add(new Ratio(r.round, r.size, r.hostUs() / base.hostUs(),
                            (r.hostUs() + r.nicUs()) / (base.hostUs() + base.nicUs()), all,
                            (r.hostUs() - load) / (base.hostUs() - load),
                            (r.hostUs() - load + r.nicUs()) / (base.hostUs() - load + base.nicUs()),
                            r.noisy() || base.noisy()));
                }
            }
        }
        return ratios;
    }

    static List<Summary> summaries(List<Size> sizes, List<Ratio> ratios) {
        List<Summary> summaries = new ArrayList<>();
        for (Size size : sizes) {
            List<Ratio> of = ratios.stream().filter(r -> r.size == size).toList();
            summaries.add(new Summary(size, stats(of.stream().mapToDouble(Ratio::host).toArray()),
                    stats(of.stream().mapToDouble(Ratio::hostPlusNic).toArray()),
                    stats(of.stream().mapToDouble(Ratio::all).toArray()),
                    stats(of.stream().mapToDouble(Ratio::hostStack).toArray()),
                    stats(of.stream().mapToDouble(Ratio::hostStackPlusNic).toArray()), of.size(),
                    (int) of.stream().filter(Ratio::noisy).count()));
        }
        return summaries;
    }

    /** {median, min, max}; NaN when empty. */
    static double[] stats(double[] values) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new double[] {median, v[0], v[n - 1]};
    }

    private static void print(Report report, PrintStream out) {
        out.println("## Per round (CPU in us per completed read)");
        out.println();
        out.println("| round | size | transport | reads done | achieved IOPS | host | NIC engine | target | JVM (GC, JIT)"
                + " | verified (wrong) | verify us/read | others' CPU | irq+softirq | steal | flags |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : report.rows) {
            String flags = (r.noisy() ? "noisy " : "") + (r.unsustained() ? "unsustained " : "")
                    + (r.load.skipped() > 0 ? "skipped " + r.load.skipped() : "");
            out.printf(Locale.ROOT, "| %d | %s | %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %d (%d) | %.3f | %.1f %%"
                    + " | %.1f %% | %.1f %% | %s |%n", r.round,
                    r.transport.equals(LOAD_ONLY) ? String.format(Locale.ROOT, "any, %,.0f/s", r.offeredRate)
                            : r.size.label, r.transport, r.completions(),
                    r.achievedRate(), r.hostUs(), r.nicUs(), r.targetUs(), r.jvmUs(), r.load.verified(),
                    r.load.verifyFailures(), r.perIo(r.load.verifyCpuNanos()), r.noise.othersPercent(),
                    r.noise.irqPercent(), r.noise.stealPercent(), flags.trim());
        }
        out.println();
        out.println("## Per-round ratios, tcp_offload / tcp");
        out.println();
        out.println("| round | size | host | host + NIC | all classes | host, load taken out | host + NIC, load taken"
                + " out | noisy |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Ratio r : report.ratios) {
            out.printf(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n", r.round, r.size.label,
                    r.host, r.hostPlusNic, r.all, r.hostStack, r.hostStackPlusNic, r.noisy ? "yes" : "");
        }
        out.println();
        out.println("## Summary: median (min-max) of the per-round ratios, tcp_offload / tcp");
        out.println();
        out.println("| size | host CPU/IO | target | (host + NIC) CPU/IO | target | all classes | host, load taken out"
                + " | host + NIC, load taken out | rounds (noisy) |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Summary s : report.summaries) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | <= %.1f | %s | %s | %s | %d (%d) |%n", s.size.label,
                    range(s.host),
                    Double.isNaN(s.size.hostTarget) ? "-" : String.format(Locale.ROOT, "<= %.1f", s.size.hostTarget),
                    range(s.hostPlusNic), TOTAL_TARGET, range(s.all), range(s.hostStack), range(s.hostStackPlusNic),
                    s.rounds, s.noisyRounds);
        }
        out.println();
        out.println("## CPU by thread: us (and sleeps, i.e. voluntary context switches) per completed read, all"
                + " measured rounds");
        out.println();
        report.threadUsPerIo.forEach((variant, byThread) -> {
            StringBuilder line = new StringBuilder("- " + variant + ":");
            Map<String, Double> wakes = report.threadWakesPerIo.getOrDefault(variant, Map.of());
            byThread.forEach((thread, us) -> {
                if (us >= 0.05) {
                    line.append(String.format(Locale.ROOT, " %s %.2f (%.2f);", thread, us,
                            wakes.getOrDefault(thread, 0.0)));
                }
            });
            out.println(line);
        });
        out.println();
    }

    private static String range(double[] s) {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s[0], s[1], s[2]);
    }
}
