package dev.nvmeof.benchmarks.suite;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.nvmeof.benchmarks.cpu.ProcCpu;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfResult;

/**
 * The benchmark suite of the shared {@code BENCHMARKS.md} (a, b, c, d measured; e and f referenced), each next to
 * its ceiling measured in the same invocation: per round, the batched request/response ceiling at each total depth
 * of benchmark a's variants (depth x queues: one connection with as many requests outstanding) and
 * the stream ceiling (iperf3, or a Java stand-in), then every configuration on {@code tcp} then {@code tcp_offload}
 * (A B A B) with the perf engine, verified reads. Other processes' CPU is taken from {@code /proc} per round. The
 * report ({@code report.md}, {@code plot.svg}) goes to {@code --out}.
 *
 * <pre>
 * java -cp features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.suite.BenchmarkSuite \
 *     --rounds 5 --seconds 10 --out target/bench-report
 * </pre>
 * Options: {@code --rounds N} (5), {@code --seconds S} per variant and ceiling (10), {@code --ramp S} (1),
 * {@code --size 1g} (b's working set), {@code --queues 1,2,4}, {@code --seq-depths 8,32}, {@code --event-loops N}
 * (target and tcp, 1), {@code --ceiling selector|blocking} (how the batched ceiling's two ends wait: in a selector,
 * as our event loops do, or blocked in {@code read}; selector), {@code --external-target} (the target appliance jar out of process; its RAM namespace must
 * fit its 256 MiB heap's direct memory, so give {@code --size 128m}), {@code --smoke} (a at 1 queue and the
 * ceilings only), {@code --out DIR} (target/bench-report).
 */
public final class BenchmarkSuite {
    /** Benchmark a's region: small enough to fill quickly for verified reads. */
    static final long RANDOM_REGION = 64L << 20;
    static final double NOISY_PERCENT = 5.0;

    /** The command line. */
    record Options(int rounds, double seconds, double ramp, long sizeBytes, int[] queues, int[] seqDepths,
            int eventLoops, boolean externalTarget, boolean smoke, Path out, boolean selectorCeiling) {

        static Options parse(String... args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                boolean flag = key.equals("--smoke") || key.equals("--external-target");
                if (!key.startsWith("--") || (!flag && i + 1 >= args.length)) {
                    throw new IllegalArgumentException("expected --option [value], got " + key);
                }
                a.put(key, flag ? "true" : args[++i]);
            }
            if (!List.of("selector", "blocking").contains(a.getOrDefault("--ceiling", "selector"))) {
                throw new IllegalArgumentException("--ceiling is selector or blocking");
            }
            Options o = new Options(Integer.parseInt(a.getOrDefault("--rounds", "5")),
                    Double.parseDouble(a.getOrDefault("--seconds", "10")),
                    Double.parseDouble(a.getOrDefault("--ramp", "1")), bytes(a.getOrDefault("--size", "1g")),
                    ints(a.getOrDefault("--queues", "1,2,4")), ints(a.getOrDefault("--seq-depths", "8,32")),
                    Integer.parseInt(a.getOrDefault("--event-loops", "1")), a.containsKey("--external-target"),
                    a.containsKey("--smoke"), Path.of(a.getOrDefault("--out", "target/bench-report")),
                    !a.getOrDefault("--ceiling", "selector").equals("blocking"));
            a.keySet().removeAll(List.of("--rounds", "--seconds", "--ramp", "--size", "--queues", "--seq-depths",
                    "--event-loops", "--external-target", "--smoke", "--out", "--ceiling"));
            if (!a.isEmpty() || o.rounds < 1 || o.rounds > 100 || o.seconds <= 0 || o.ramp < 0) {
                throw new IllegalArgumentException("bad options " + (a.isEmpty() ? "" : a.keySet()) + ": see the"
                        + " javadoc of BenchmarkSuite");
            }
            return o;
        }

        String describe() {
            return String.format(Locale.ROOT, "--rounds %d --seconds %s --ramp %s --size %dm --queues %s "
                    + "--seq-depths %s --event-loops %d --ceiling %s%s%s", rounds, seconds, ramp, sizeBytes >> 20,
                    join(queues), join(seqDepths), eventLoops, selectorCeiling ? "selector" : "blocking", externalTarget ? " --external-target" : "",
                    smoke ? " --smoke" : "");
        }

        private static String join(int[] values) {
            return String.join(",", Arrays.stream(values).mapToObj(Integer::toString).toList());
        }

        private static int[] ints(String csv) {
            return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        static long bytes(String s) {
            String t = s.toLowerCase(Locale.ROOT);
            int shift = t.endsWith("g") ? 30 : t.endsWith("m") ? 20 : t.endsWith("k") ? 10 : 0;
            return Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1)) << shift;
        }
    }

    /** What one variant's run measured (latency in ns, CPU in us per completed I/O). */
    record Run(double iops, double mibPerSecond, long p50, long p99, long p999, double hostUs, double nicUs,
            long errors, long verified, long verifyErrors, String firstError) {

        static Run of(PerfResult r) {
            PerfResult.Latency l = r.read().ios() > 0 ? r.read().latency() : r.write().latency();
            return new Run(r.iops(), r.mibPerSecond(), l.p50(), l.p99(), l.p999(),
                    r.cpuMicrosPerIo(r.cpu().hostNanos()), r.cpuMicrosPerIo(r.cpu().nicEngineNanos()), r.errors(),
                    r.verified(), r.verifyErrors(), r.firstError());
        }
    }

    /** One round: its ceilings, its runs, and the CPU other processes used meanwhile (% of one core). */
    record Round(int number, Map<Integer, BatchedCeiling.Result> batched, StreamCeiling.Result stream,
            Map<Variant, Run> runs, double othersPercent) {

        boolean noisy() {
            return othersPercent > NOISY_PERCENT;
        }

        /** The batched ceiling at {@code depth} requests outstanding. */
        BatchedCeiling.Result batched(int depth) {
            return batched.get(depth);
        }

        BatchedCeiling.Result qd1() {
            return batched.get(1);
        }

        /** The ceiling a variant is divided by: as many requests outstanding as its queues together. */
        BatchedCeiling.Result ceilingOf(Variant v) {
            return batched.get(v.depth() * v.queues());
        }
    }

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // The stack logs every connect and disconnect; the suite makes a few dozen of them.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Report report = run(options, System.out);
        System.out.println("report: " + report.markdownFile().toAbsolutePath() + ", plot: "
                + report.svgFile().toAbsolutePath());
        System.exit(report.ioErrors() == 0 ? 0 : 1);
    }

    /** Runs every round and writes the report; progress goes to {@code log}. */
    static Report run(Options o, PrintStream log) throws Exception {
        Instant started = Instant.now();
        List<Variant> variants = Variant.list(o.smoke, o.queues, o.seqDepths);
        long namespace = Math.max(RANDOM_REGION, o.sizeBytes);
        long window = (long) (o.seconds * 1e9);
        long ramp = (long) (o.ramp * 1e9);
        Round[] rounds = new Round[o.rounds];
        // the batched ceiling at each total depth of a's variants (and QD1 for d)
        Set<Integer> depths = new TreeSet<>(List.of(1));
        variants.stream().filter(v -> v.bench() == 'a').forEach(v -> depths.add(v.depth() * v.queues()));
        try (SuiteStack stack = new SuiteStack(namespace, o.externalTarget, o.eventLoops)) {
            for (int r = 0; r < o.rounds; r++) {
                ProcCpu before = ProcCpu.sample(stack.externalPid());
                Map<Integer, BatchedCeiling.Result> batched = new TreeMap<>();
                for (int depth : depths) {
                    batched.put(depth, BatchedCeiling.run(depth, ramp, window, o.selectorCeiling));
                }
                StreamCeiling.Result stream = o.smoke ? new StreamCeiling.Result("not run (smoke)", Double.NaN)
                        : StreamCeiling.run(o.seconds);
                StringBuilder line = new StringBuilder();
                batched.forEach((d, c) -> line.append(String.format(Locale.ROOT, " QD%d %.0f rt/s", d, c.perSecond())));
                log.printf(Locale.ROOT, "round %d ceilings:%s, QD1 p50 %.1f us, %s %.2f GB/s%n", r + 1, line,
                        batched.get(1).p50() / 1e3, stream.name(), stream.gbPerSecond());
                Map<Variant, Run> runs = new LinkedHashMap<>();
                for (Variant v : variants) {
                    Run run = measure(stack, v, o, window, ramp);
                    runs.put(v, run);
                    log.printf(Locale.ROOT, "round %d %-28s %-11s %9.0f IOPS %8.1f MiB/s p50 %7.1f p99 %8.1f us"
                            + " host %.1f us/IO%s%n", r + 1, v.config(), v.transport(), run.iops(), run.mibPerSecond(),
                            run.p50() / 1e3, run.p99() / 1e3, run.hostUs(), run.errors() + run.verifyErrors() > 0
                                    ? " ERRORS " + run.errors() + "/" + run.verifyErrors() + ": " + run.firstError() : "");
                }
                double others = ProcCpu.sample(stack.externalPid()).since(before).othersPercent();
                rounds[r] = new Round(r + 1, batched, stream, runs, others);
            }
        }
        Report report = new Report(o, started, Duration.between(started, Instant.now()), List.of(rounds));
        Files.createDirectories(o.out);
        report.write(o.out);
        return report;
    }

    private static Run measure(SuiteStack stack, Variant v, Options o, long window, long ramp) throws Exception {
        boolean random = v.bench() == 'a';
        PerfOptions perf = PerfOptions.defaults().withRw(v.rw()).withBlockSize(v.blockSize()).withIoDepth(v.depth())
                .withJobs(v.queues()).withRuntime(Duration.ofNanos(window)).withRampTime(Duration.ofNanos(ramp))
                .withSize(random ? RANDOM_REGION : o.sizeBytes).withVerify(true).withVerifyEvery(16);
        try (SuiteStack.Connection c = stack.connect(v.transport(), v.queues(), v.dataDigest())) {
            return Run.of(Perf.run(c.device(), perf, p -> { }));
        }
    }
}
