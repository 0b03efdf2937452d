package dev.nvmeof.benchmarks.suite;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.nvmeof.benchmarks.cpu.ProcCpu;
import dev.nvmeof.perf.Completions;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfResult;

/**
 * The benchmark suite of the shared {@code BENCHMARKS.md} (a to f), a to e each next to
 * its ceiling measured in the same invocation at the same placement: per round and per placement (co-located, split;
 * {@link SuitePlacement}), the batched request/response ceiling at each total depth of benchmark a's variants (depth
 * x queues: one connection with as many requests outstanding) and the stream ceiling (iperf3, or a Java stand-in),
 * then every configuration on {@code tcp} then {@code tcp_offload} (A B A B) with the perf engine, verified reads.
 * Threads are pinned by name with {@code taskset} once they exist, before the ramp ends, checked, and moved back
 * after ({@link ThreadPinning}); the perf engine's job threads are born pinned, as the suite's thread that starts
 * them is pinned to the host side meanwhile. Other processes' CPU is taken from {@code /proc}. The report
 * ({@code report.md}, {@code plot.svg}) goes to {@code --out}.
 *
 * <pre>
 * java -cp features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.suite.BenchmarkSuite \
 *     --rounds 5 --seconds 10 --out target/bench-report
 * </pre>
 * Options: {@code --rounds N} (5), {@code --seconds S} per variant and ceiling (10), {@code --ramp S} (2),
 * {@code --placement colocated,split,unpinned} (colocated,split), {@code --size 1g} (b's working set; cut to what the
 * JVM's direct memory holds), {@code --region 64m} (where a and c read at random: 64 MiB outgrows the caches, so the
 * target reads memory per I/O; a cache-sized one, 8m, leaves that cost out, as the batched ceiling does),
 * {@code --queues 1,2,4}, {@code --seq-depths 8,32}, {@code --rate-4k IOPS} (c at 4 KiB, 20000), {@code --rate-128k
 * IOPS} (c at 128 KiB with data digest, 7630 = 1 GB/s), {@code --event-loops N} (target and tcp, 1), {@code --ceiling
 * selector|blocking} (how the batched ceiling's two ends wait: in a selector, as our event loops do, or blocked in
 * {@code read}; selector), {@code --external-target} (the target appliance jar out of process; its RAM namespace must
 * fit its 256 MiB heap's direct memory, so give {@code --size 128m}; its threads are not pinned), {@code --completions
 * inline|thread} (the perf engine's, inline; c's fixed rate always uses the job thread), {@code --smoke} (a at 1 queue,
 * one b, c and the ceilings), {@code --benchmarks a,b,c,f} (which to run; d and e come from a's runs; f, the hot swap
 * of {@link HotSwapBench}, runs once after the rounds, unpinned), {@code --swaps N} (f's, 100), {@code --out DIR}
 * (target/bench-report).
 */
public final class BenchmarkSuite {
    /**
     * a's and c's region by default (b's working set if smaller): small enough to fill quickly for verified reads,
     * larger than the caches, so the target reads memory per I/O (the batched ceiling answers from one hot buffer).
     */
    static final long RANDOM_REGION = 64L << 20;
    /** The smallest {@code --region}: room for 256 blocks of 4 KiB. */
    static final long SMALLEST_REGION = 1L << 20;
    static final double NOISY_PERCENT = 5.0;
    /** Direct memory the rest of the suite needs beside the namespace: buffers of host, target and NIC. */
    static final long DIRECT_MEMORY_MARGIN = 256L << 20;
    private static final long PINNER_WAIT_NANOS = 10_000_000_000L;

    /** The command line. */
    record Options(int rounds, double seconds, double ramp, long sizeBytes, int[] queues, int[] seqDepths,
            int eventLoops, boolean externalTarget, boolean smoke, Path out, boolean selectorCeiling,
            List<SuitePlacement> placements, long rate4k, long rate128k, Completions completions, String benchmarks,
            int swaps, long regionBytes) {

        private static final List<String> KEYS = List.of("--rounds", "--seconds", "--ramp", "--size", "--queues",
                "--seq-depths", "--event-loops", "--external-target", "--smoke", "--out", "--ceiling", "--placement",
                "--rate-4k", "--rate-128k", "--completions", "--benchmarks", "--swaps", "--region");

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
            List<SuitePlacement> placements = Arrays.stream(a.getOrDefault("--placement", "colocated,split")
                    .split(",")).map(SuitePlacement::of).distinct().toList();
            Options o = new Options(Integer.parseInt(a.getOrDefault("--rounds", "5")),
                    Double.parseDouble(a.getOrDefault("--seconds", "10")),
                    Double.parseDouble(a.getOrDefault("--ramp", "2")), bytes(a.getOrDefault("--size", "1g")),
                    ints(a.getOrDefault("--queues", "1,2,4")), ints(a.getOrDefault("--seq-depths", "8,32")),
                    Integer.parseInt(a.getOrDefault("--event-loops", "1")), a.containsKey("--external-target"),
                    a.containsKey("--smoke"), Path.of(a.getOrDefault("--out", "target/bench-report")),
                    !a.getOrDefault("--ceiling", "selector").equals("blocking"), placements,
                    Long.parseLong(a.getOrDefault("--rate-4k", "20000")),
                    Long.parseLong(a.getOrDefault("--rate-128k", "7630")),
                    Completions.of(a.getOrDefault("--completions", "inline")),
                    a.getOrDefault("--benchmarks", "a,b,c,f").replace(",", ""),
                    Integer.parseInt(a.getOrDefault("--swaps", "100")),
                    bytes(a.getOrDefault("--region", (RANDOM_REGION >> 20) + "m")));
            a.keySet().removeAll(KEYS);
            if (!a.isEmpty() || o.rounds < 1 || o.rounds > 100 || o.seconds <= 0 || o.ramp < 0 || o.rate4k < 1
                    || o.rate128k < 1 || !o.benchmarks.matches("[abcf]+") || o.swaps < 1
                    || o.regionBytes < SMALLEST_REGION) {
                throw new IllegalArgumentException("bad options " + (a.isEmpty() ? "" : a.keySet()) + ": see the"
                        + " javadoc of BenchmarkSuite");
            }
            return o;
        }

        Options withSize(long bytes) {
            return new Options(rounds, seconds, ramp, bytes, queues, seqDepths, eventLoops, externalTarget, smoke, out,
                    selectorCeiling, placements, rate4k, rate128k, completions, benchmarks, swaps, regionBytes);
        }

        /** Where a and c read: {@code --region}, or b's whole working set if that is smaller. */
        long randomRegion() {
            return Math.min(regionBytes, sizeBytes);
        }

        boolean pins() {
            return placements.stream().anyMatch(SuitePlacement::pinned);
        }

        String describe() {
            return String.format(Locale.ROOT, "--rounds %d --seconds %s --ramp %s --placement %s --size %dm --queues %s"
                    + " --seq-depths %s --rate-4k %d --rate-128k %d --event-loops %d --ceiling %s --completions %s"
                    + " --benchmarks %s --swaps %d --region %dm%s%s",
                    rounds, seconds, ramp, String.join(",", placements.stream().map(SuitePlacement::option).toList()),
                    sizeBytes >> 20, join(queues), join(seqDepths), rate4k, rate128k, eventLoops,
                    selectorCeiling ? "selector" : "blocking", completions.optionName(),
                    String.join(",", benchmarks.chars().mapToObj(c -> String.valueOf((char) c)).toList()), swaps,
                    regionBytes >> 20, externalTarget ? " --external-target" : "", smoke ? " --smoke" : "");
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

    /**
     * What one variant's run measured (latency in ns, CPU in us and allocation in bytes per completed I/O);
     * {@code pinnedInTime}: its perf job threads were pinned before the measured window could open.
     */
    record Run(double iops, double mibPerSecond, long p50, long p99, long p999, double hostUs, double nicUs,
            double hostBytesPerIo, long errors, long verified, long verifyErrors, String firstError,
            boolean pinnedInTime) {

        static Run of(PerfResult r, boolean pinnedInTime) {
            PerfResult.Latency l = r.read().ios() > 0 ? r.read().latency() : r.write().latency();
            return new Run(r.iops(), r.mibPerSecond(), l.p50(), l.p99(), l.p999(),
                    r.cpuMicrosPerIo(r.cpu().hostNanos()), r.cpuMicrosPerIo(r.cpu().nicEngineNanos()),
                    r.hostAllocatedBytesPerIo(), r.errors(), r.verified(), r.verifyErrors(), r.firstError(),
                    pinnedInTime);
        }
    }

    /** One round at one placement: its ceilings, its runs, and the CPU other processes used meanwhile. */
    record Measured(Map<Integer, BatchedCeiling.Result> batched, StreamCeiling.Result stream, Map<Variant, Run> runs,
            double othersPercent) {

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

    /** One round: every placement in turn. */
    record Round(int number, Map<SuitePlacement, Measured> at) {
    }

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // The stack logs every connect and disconnect; the suite makes a few dozen of them.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Report report;
        try {
            report = run(options, System.out);
        } catch (ThreadPinning.PinningException e) {
            System.out.println("pinning failed, the run is void: " + e.getMessage() + " (report: "
                    + options.out().resolve("report.md").toAbsolutePath() + ")");
            System.exit(2);
            return;
        }
        System.out.println("report: " + report.markdownFile().toAbsolutePath() + (Files.exists(report.svgFile())
                ? ", plot: " + report.svgFile().toAbsolutePath() : ""));
        System.exit(report.ioErrors() == 0 ? 0 : 1);
    }

    /**
     * Runs every round and writes the report; progress goes to {@code log}.
     *
     * @throws ThreadPinning.PinningException when a pinned placement was asked for and taskset is missing or
     *                                        failed; a report saying so is written first
     */
    static Report run(Options asked, PrintStream log) throws Exception {
        Instant started = Instant.now();
        WorkingSet workingSet = WorkingSet.fit(asked);
        Options o = asked.withSize(workingSet.bytes());
        if (workingSet.cut()) {
            log.println(workingSet.describe());
        }
        String problem = ThreadPinning.placementProblem(o.placements());
        if (problem != null) {
            throw voidRun(o, problem + "; rerun with --placement unpinned to measure without pinning");
        }
        ThreadPinning pinning = new ThreadPinning();
        List<Variant> variants = Variant.list(o.smoke, o.queues, o.seqDepths, o.rate4k, o.rate128k).stream()
                .filter(v -> o.benchmarks.indexOf(v.bench()) >= 0).toList();
        long namespace = o.sizeBytes;
        long window = (long) (o.seconds * 1e9);
        long ramp = (long) (o.ramp * 1e9);
        List<Round> rounds = new ArrayList<>();
        HotSwapBench.Result hotSwap = null;
        // the batched ceiling at each total depth of a's variants (and QD1 for d)
        Set<Integer> depths = new TreeSet<>(List.of(1));
        variants.stream().filter(v -> v.bench() == 'a').forEach(v -> depths.add(v.depth() * v.queues()));
        try (SuiteStack stack = new SuiteStack(namespace, o.externalTarget, o.eventLoops)) {
            for (int r = 0; r < (variants.isEmpty() ? 0 : o.rounds); r++) {
                Map<SuitePlacement, Measured> at = new LinkedHashMap<>();
                for (SuitePlacement placement : o.placements()) {
                    try {
                        at.put(placement, measureRound(stack, pinning, placement, r + 1, depths, variants, o, window,
                                ramp, log));
                    } catch (ThreadPinning.PinningException e) {
                        throw voidRun(o, "round " + (r + 1) + ", " + placement.option() + ": " + e.getMessage());
                    } finally {
                        pinning.unpin();
                    }
                }
                rounds.add(new Round(r + 1, at));
            }
            if (o.benchmarks.indexOf('f') >= 0) {
                hotSwap = HotSwapBench.run(stack.address(), SuiteStack.NQN, o.swaps, stack.newStateDirectory(), log);
            }
        }
        Report report = new Report(o, workingSet, pinning, started, Duration.between(started, Instant.now()),
                rounds, hotSwap);
        Files.createDirectories(o.out);
        report.write(o.out);
        return report;
    }

    /** Writes a report that says why nothing was measured, and returns the exception to throw. */
    private static ThreadPinning.PinningException voidRun(Options o, String why) throws java.io.IOException {
        Files.createDirectories(o.out);
        Files.writeString(o.out.resolve("report.md"), "**The run failed: threads could not be pinned.** " + why
                + ". Placements asked: " + String.join(", ", o.placements.stream().map(SuitePlacement::describe)
                        .toList()) + ". Nothing was measured.\n", StandardCharsets.UTF_8);
        return new ThreadPinning.PinningException(why);
    }

    private static Measured measureRound(SuiteStack stack, ThreadPinning pinning, SuitePlacement placement, int round,
            Set<Integer> depths, List<Variant> variants, Options o, long window, long ramp, PrintStream log)
            throws Exception {
        ProcCpu before = ProcCpu.sample(stack.externalPid());
        Map<Integer, BatchedCeiling.Result> batched = new TreeMap<>();
        for (int depth : depths) {
            batched.put(depth, BatchedCeiling.runPinned(depth, ramp, window, o.selectorCeiling, pinning, placement));
        }
        StreamCeiling.Result stream;
        try {
            stream = StreamCeiling.run(o.seconds, placement, pinning);
        } finally {
            pinning.unpin();
        }
        StringBuilder line = new StringBuilder();
        batched.forEach((d, c) -> line.append(String.format(Locale.ROOT, " QD%d %.0f rt/s", d, c.perSecond())));
        log.printf(Locale.ROOT, "round %d %s ceilings:%s, QD1 p50 %.1f us, %s %.2f GB/s%n", round, placement.option(),
                line, batched.get(1).p50() / 1e3, stream.name(), stream.gbPerSecond());
        Map<Variant, Run> runs = new LinkedHashMap<>();
        for (Variant v : variants) {
            Run run = measure(stack, pinning, placement, v, o, window, ramp);
            runs.put(v, run);
            log.printf(Locale.ROOT, "round %d %-9s %c %-30s %-11s %9.0f IOPS %8.1f MiB/s p50 %7.1f p99 %8.1f us"
                    + " host %.1f us/IO %.1f B/IO%s%s%n", round, placement.option(), v.bench(), v.config(),
                    v.transport(), run.iops(), run.mibPerSecond(), run.p50() / 1e3, run.p99() / 1e3, run.hostUs(),
                    run.hostBytesPerIo(), run.pinnedInTime() ? "" : " PINNED LATE", run.errors()
                            + run.verifyErrors() > 0 ? " ERRORS " + run.errors() + "/" + run.verifyErrors() + ": "
                                    + run.firstError() : "");
        }
        double others = ProcCpu.sample(stack.externalPid()).since(before).othersPercent();
        return new Measured(batched, stream, runs, others);
    }

    private static Run measure(SuiteStack stack, ThreadPinning pinning, SuitePlacement placement, Variant v,
            Options o, long window, long ramp) throws Exception {
        boolean wholeRegion = v.bench() == 'b';
        PerfOptions perf = PerfOptions.defaults().withRw(v.rw()).withBlockSize(v.blockSize()).withIoDepth(v.depth())
                .withJobs(v.queues()).withRuntime(Duration.ofNanos(window)).withRampTime(Duration.ofNanos(ramp))
                .withSize(wholeRegion ? o.sizeBytes : o.randomRegion()).withVerify(true)
                .withVerifyEvery(16).withRateIops(v.rateIops()).withCompletions(o.completions());
        try (SuiteStack.Connection c = stack.connect(v.transport(), v.queues(), v.dataDigest())) {
            try {
                // the connection's threads exist now (tcp loop, NIC engine, irq, target loop); the jobs' inherit the
                // affinity of this thread, which starts them; the pinner checks them and records where they ran
                pinning.pin(placement);
                pinning.pinCallerToHostSide(placement);
                PerfJobPinner pinner = PerfJobPinner.start(pinning, placement, v.queues(), PINNER_WAIT_NANOS);
                long called = System.nanoTime();
                PerfResult result;
                try {
                    result = Perf.run(c.device(), perf, p -> { });
                } finally {
                    pinner.stop();
                }
                // the window opens after the prefill and the ramp, so at called + ramp at the earliest
                boolean inTime = !placement.pinned() || pinner.pinnedBefore(called + ramp);
                return Run.of(result, inTime);
            } finally {
                pinning.unpin();
            }
        }
    }

    /**
     * b's working set in the target's RAM namespace, which is direct memory of this JVM (unless the target runs out
     * of process): the size asked for, or the largest power of two of MiB that fits beside the rest.
     */
    record WorkingSet(long bytes, long asked, long directLimit) {

        static WorkingSet fit(Options o) {
            return fit(o, directMemoryLimit());
        }

        static WorkingSet fit(Options o, long limit) {
            long fits = limit - DIRECT_MEMORY_MARGIN;
            if (o.externalTarget() || o.sizeBytes() <= fits || fits < o.regionBytes()) {
                return new WorkingSet(o.sizeBytes(), o.sizeBytes(), limit);
            }
            return new WorkingSet(Long.highestOneBit(fits) >> 20 << 20, o.sizeBytes(), limit);
        }

        boolean cut() {
            return bytes != asked;
        }

        String describe() {
            String s = String.format(Locale.ROOT, "b's working set %d MiB", bytes >> 20);
            return cut() ? s + String.format(Locale.ROOT, " (asked %d MiB: this JVM's direct memory limit is %d MiB,"
                    + " and the target's RAM namespace is direct memory; give -XX:MaxDirectMemorySize= for more)",
                    asked >> 20, directLimit >> 20)
                    : s + String.format(Locale.ROOT, " (the JVM's direct memory limit, %d MiB, holds it)",
                            directLimit >> 20);
        }

        /** -XX:MaxDirectMemorySize, or the heap's maximum when it is not given (the JVM's default). */
        static long directMemoryLimit() {
            try {
                var hotSpot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                long set = Long.parseLong(hotSpot.getVMOption("MaxDirectMemorySize").getValue());
                return set > 0 ? set : Runtime.getRuntime().maxMemory();
            } catch (RuntimeException notHotSpot) {
                return Runtime.getRuntime().maxMemory();
            }
        }
    }
}
