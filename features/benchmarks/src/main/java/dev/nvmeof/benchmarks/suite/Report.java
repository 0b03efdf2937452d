package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Measured;
import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Options;
import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Round;
import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Run;
import dev.nvmeof.testkit.driver.SwapMeasurement;
import dev.nvmeof.testkit.driver.SwapMeasurement.Figures;

/**
 * The suite's report: per placement and benchmark the median of the per-round ratios with min and max (each
 * divided by the ceiling of the same round at the same placement), next to the absolute figures; what was pinned
 * where; others' CPU per round; a Markdown file and an SVG plot.
 */
final class Report {
    /** The JMH figure the project has for e (BENCHMARKS.md, Run 3: IoPathBenchmark -prof gc, 4 KiB read QD1). */
    static final String JMH_E = "JMH `IoPathBenchmark -prof gc` (BENCHMARKS.md Run 3, 4 KiB read QD1, host only):"
            + " `tcp` 0.217, `tcp_offload` 0.279 B/op";
    /** Achieved under this share of the offered load: c's CPU per I/O is not at the load it names. */
    static final double SUSTAINED = 0.95;

    /** A ratio's per-round values, summarized. */
    record Ratio(String what, double median, double min, double max) {
        static Ratio of(String what, double[] perRound) {
            double[] s = perRound.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Ratio(what, median, n == 0 ? Double.NaN : s[0], n == 0 ? Double.NaN : s[n - 1]);
        }

        String cell() {
            return median >= 100 ? f0(median) + " (" + f0(min) + "-" + f0(max) + ")"
                    : f2(median) + " (" + f2(min) + "-" + f2(max) + ")";
        }
    }

    private final Options options;
    private final BenchmarkSuite.WorkingSet workingSet;
    private final ThreadPinning pinning;
    private final Instant started;
    private final Duration took;
    private final List<Round> rounds;
    /** f's result, null when f was not asked for. */
    private final HotSwapBench.Result hotSwap;
    private final List<Variant> variants;
    private final List<Ratio> ratios = new ArrayList<>();
    private Path markdown;
    private Path svg;

    Report(Options options, BenchmarkSuite.WorkingSet workingSet, ThreadPinning pinning, Instant started,
            Duration took, List<Round> rounds, HotSwapBench.Result hotSwap) {
        this.options = options;
        this.hotSwap = hotSwap;
        this.workingSet = workingSet;
        this.pinning = pinning;
        this.started = started;
        this.took = took;
        this.rounds = rounds;
        this.variants = rounds.isEmpty() ? List.of()
                : new ArrayList<>(rounds.get(0).at().values().iterator().next().runs().keySet());
    }

    List<Ratio> ratios() {
        return ratios;
    }

    Path markdownFile() {
        return markdown;
    }

    Path svgFile() {
        return svg;
    }

    List<SuitePlacement> placements() {
        return options.placements();
    }

    private List<Measured> at(SuitePlacement p) {
        return rounds.stream().map(r -> r.at().get(p)).toList();
    }

    private List<Run> allRuns() {
        return rounds.stream().flatMap(r -> r.at().values().stream()).flatMap(m -> m.runs().values().stream())
                .toList();
    }

    long ioErrors() {
        return allRuns().stream().mapToLong(r -> r.errors() + r.verifyErrors()).sum()
                + (hotSwap == null ? 0 : hotSwap.errors());
    }

    long verifiedReads() {
        return allRuns().stream().mapToLong(Run::verified).sum();
    }

    long pinnedLate() {
        return allRuns().stream().filter(r -> !r.pinnedInTime()).count();
    }

    /**
     * The figures that came out missing (not a positive number): "placement bench configuration transport figure".
     * Empty when every configuration at every placement has its IOPS, latency, CPU and allocation figures.
     */
    List<String> missingFigures() {
        List<String> missing = new ArrayList<>();
        Map<String, ToDoubleFunction<Run>> figures = new java.util.LinkedHashMap<>();
        figures.put("IOPS", Run::iops);
        figures.put("p50", r -> r.p50());
        figures.put("host us/IO", Run::hostUs);
        figures.put("B/IO", r -> r.hostBytesPerIo() + 1); // 0 B/op is a figure
        for (SuitePlacement p : placements()) {
            for (Variant v : variants) {
                figures.forEach((name, figure) -> {
                    double value = median(p, v, figure);
                    if (!(value > 0 && Double.isFinite(value))) {
                        missing.add(p.option() + " " + v.bench() + " " + v.config() + " " + v.transport() + " "
                                + name + " = " + value);
                    }
                });
            }
        }
        return missing;
    }

    void write(Path dir) throws IOException {
        ratios.clear();
        markdown = dir.resolve("report.md");
        svg = dir.resolve("plot.svg");
        Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
        if (!rounds.isEmpty()) { // f alone has nothing to plot
            Files.writeString(svg, SvgPlot.render(this), StandardCharsets.UTF_8);
        }
    }

    /** Per-round values of one figure of one variant at one placement. */
    double[] perRound(SuitePlacement p, Variant v, ToDoubleFunction<Run> figure) {
        return at(p).stream().mapToDouble(m -> figure.applyAsDouble(m.runs().get(v))).toArray();
    }

    double median(SuitePlacement p, Variant v, ToDoubleFunction<Run> figure) {
        return Ratio.of("", perRound(p, v, figure)).median();
    }

    double medianCeiling(SuitePlacement p, ToDoubleFunction<Measured> figure) {
        return Ratio.of("", at(p).stream().mapToDouble(figure).toArray()).median();
    }

    /** The depths the batched ceiling ran at (QD1 and each total depth of a's configurations). */
    Set<Integer> ceilingDepths(SuitePlacement p) {
        return at(p).get(0).batched().keySet();
    }

    List<Variant> variants(char bench, String transport) {
        return variants.stream().filter(v -> v.bench() == bench && v.transport().equals(transport)).toList();
    }

    private Ratio ratio(SuitePlacement p, String what, ToDoubleFunction<Measured> perRound) {
        Ratio r = Ratio.of(p.option() + " " + what, at(p).stream().mapToDouble(perRound).toArray());
        ratios.add(r);
        return r;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        long noisy = rounds.stream().flatMap(r -> r.at().values().stream()).filter(Measured::noisy).count();
        md.append("Started ").append(started).append(", took ").append(took.toSeconds())
                .append(" s. Command: `java -cp")
                .append(" features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.suite.BenchmarkSuite ")
                .append(options.describe()).append("`. Target: ").append(options.externalTarget()
                        ? "out of process (appliance jar)" : "in this JVM").append(", RAM namespace; ")
                .append(workingSet.describe()).append("; a and c read at random over its first ")
                .append(options.randomRegion() >> 20).append(" MiB; ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, Java ").append(System.getProperty("java.version")).append(". Round-placements with")
                .append(" others' CPU > 5 % of a core: ").append(noisy).append(" of ").append(rounds.size()
                        * placements().size()).append(". I/O errors: ").append(ioErrors()).append("; verified reads: ")
                .append(verifiedReads()).append(". Runs whose perf jobs were pinned after the ramp: ")
                .append(pinnedLate()).append(".\n\n");
        if (rounds.isEmpty()) { // f alone
            hotSwapSection(md);
            return md.toString();
        }
        pinningSection(md);
        for (SuitePlacement p : placements()) {
            md.append("## ").append(p.describe()).append("\n\n");
            ceilings(md, p);
            throughput(md, p);
            cpu(md, p);
            latency(md, p);
            allocation(md, p);
        }
        hotSwapSection(md);
        md.append("| round | ").append(String.join(" | ", placements().stream().map(p -> "others' CPU, % of a core, "
                + p.option()).toList())).append(" | noisy |\n|---|");
        placements().forEach(p -> md.append("---|"));
        md.append("---|\n");
        for (Round r : rounds) {
            md.append("| ").append(r.number()).append(" | ");
            for (SuitePlacement p : placements()) {
                md.append(f1(r.at().get(p).othersPercent())).append(" | ");
            }
            md.append(r.at().values().stream().anyMatch(Measured::noisy) ? "yes" : "").append(" |\n");
        }
        return md.toString();
    }

    /** f: the hot swap, once, unpinned. */
    private void hotSwapSection(StringBuilder md) {
        if (hotSwap == null) {
            md.append("**f** (hot swap): not run (`--benchmarks` left it out).\n\n");
            return;
        }
        SwapMeasurement.Figures f = hotSwap.figures();
        md.append("## f: hot swap of the serving driver, unpinned\n\n").append(f.count()).append(" swaps under QD")
                .append(HotSwapBench.QUEUE_DEPTH).append(" mixed verified 4 KiB I/O on 2 I/O queues over")
                .append(" `tcp_offload` (plain-Java stack, two emulated NIC functions; each swap removes the serving")
                .append(" driver and adds a new one for its device back; in Felix with bundles: `HotSwapIT`).\n\n")
                .append("| figure | p50 | p90 | max | target |\n|---|---|---|---|---|\n")
                .append("| pause (longest gap between two completions), ms | ").append(f.pause(0.5)).append(" | ")
                .append(f.pause(0.9)).append(" | ").append(f.pause(1)).append(" | p50 < 50, max < 200 |\n")
                .append("| from the swap to a ").append(SwapMeasurement.RECOVERY_WINDOW_MILLIS)
                .append(" ms window at 90 % of the IOPS before it | ").append(Figures.millis(f.recovery(0.5)))
                .append(" | ").append(Figures.millis(f.recovery(0.9))).append(" | ")
                .append(Figures.millis(f.recovery(1))).append(" | |\n\n").append(hotSwap.ios())
                .append(" I/Os; failed: ").append(hotSwap.firstError() == null ? "none" : hotSwap.firstError())
                .append("; blocks not reading back their last acknowledged write: ").append(hotSwap.corrupt().size())
                .append(" (target 0 and 0); swaps not back at 90 % within ").append(SwapMeasurement.SETTLE_SECONDS)
                .append(" s of I/O: ").append(f.notBack()).append(".\n\n");
    }

    /** Rule 1: what ran where. */
    private void pinningSection(StringBuilder md) {
        if (!options.pins()) {
            md.append("**Placement**: unpinned (no thread pinned: the scheduler placed them; rule 1 not met).\n\n");
            return;
        }
        md.append("**Placement** (threads pinned by name with `taskset -p -c CPU TID` once they existed, before the")
                .append(" ramp ended, checked in `/proc/<tid>/status` Cpus_allowed_list, and moved back to ")
                .append(pinning.restoreCpus()).append(" after each measurement; the suite's `main` thread is pinned")
                .append(" to the host side while it runs the perf engine, so the `perf-*` job threads it starts are")
                .append(" born there; iperf3 under `taskset -c`; the JVM's own threads (GC, JIT) are not pinned):\n\n");
        Map<String, Set<String>> record = pinning.record();
        for (SuitePlacement p : placements()) {
            md.append("- ").append(p.describe());
            if (p.pinned()) {
                for (int cpu : p.hostCpu == p.targetCpu ? new int[] {p.hostCpu} : new int[] {p.hostCpu, p.targetCpu}) {
                    Set<String> names = record.getOrDefault(p.option() + " " + cpu, Set.of());
                    md.append("; vCPU ").append(cpu).append(": ").append(names.isEmpty() ? "nothing"
                            : "`" + String.join("`, `", names) + "`");
                }
                if (StreamCeiling.iperf3() != null) {
                    md.append("; iperf3 client on vCPU ").append(p.hostCpu).append(", server on vCPU ")
                            .append(p.targetCpu);
                }
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void ceilings(StringBuilder md, SuitePlacement p) {
        md.append("| ceiling (same rounds, ").append(p.option()).append("; batched: both ends ")
                .append(options.selectorCeiling() ? "wait in a selector" : "block in read")
                .append(") | median (min-max) |\n|---|---|\n");
        for (int depth : ceilingDepths(p)) {
            md.append("| batched request/response QD").append(depth).append(", round trips/s | ")
                    .append(ratio(p, "ceiling QD" + depth + " rt/s", m -> m.batched(depth).perSecond()).cell())
                    .append(" |\n");
        }
        md.append("| same, QD1 latency p50 / p99 / p99.9, us | ").append(f1(medianCeiling(p, m -> m.qd1().p50() / 1e3)))
                .append(" / ").append(f1(medianCeiling(p, m -> m.qd1().p99() / 1e3))).append(" / ")
                .append(f1(medianCeiling(p, m -> m.qd1().p999() / 1e3))).append(" |\n");
        md.append("| stream: ").append(at(p).get(0).stream().name()).append(", GB/s | ")
                .append(ratio(p, "ceiling stream GB/s", m -> m.stream().gbPerSecond()).cell()).append(" |\n\n");
    }

    /** a and b: absolute figures, ratio to the ceiling, tcp_offload over tcp. */
    private void throughput(StringBuilder md, SuitePlacement p) {
        md.append("a: IOPS / the batched ceiling at as many requests outstanding (QD x queues, one connection);")
                .append(" b: payload GB/s / the stream ceiling.\n\n");
        md.append("| id | configuration | transport | IOPS | MiB/s | p50 / p99 us | ratio to ceiling | ")
                .append("tcp_offload / tcp |\n|---|---|---|---|---|---|---|---|\n");
        for (Variant v : variants) {
            if (v.bench() == 'c') {
                continue;
            }
            boolean a = v.bench() == 'a';
            Ratio toCeiling = ratio(p, v.bench() + " " + v.config() + " " + v.transport() + (a ? " / batched QD"
                    + v.depth() * v.queues() : " / stream"), m -> a ? m.runs().get(v).iops()
                            / m.ceilingOf(v).perSecond()
                            : m.runs().get(v).mibPerSecond() * (1 << 20) / 1e9 / m.stream().gbPerSecond());
            String versus = "";
            if (v.transport().equals(Variant.OFFLOAD)) {
                Variant tcp = v.on(Variant.TCP);
                versus = ratio(p, v.bench() + " " + v.config() + " offload/tcp", m -> m.runs().get(v).iops()
                        / m.runs().get(tcp).iops()).cell();
            }
            md.append("| ").append(v.bench()).append(" | ").append(v.config()).append(" | ").append(v.transport())
                    .append(" | ").append(f0(median(p, v, Run::iops))).append(" | ").append(f1(median(p, v,
                            Run::mibPerSecond))).append(" | ").append(f1(median(p, v, r -> r.p50() / 1e3)))
                    .append(" / ").append(f1(median(p, v, r -> r.p99() / 1e3))).append(" | ")
                    .append(toCeiling.cell()).append(" | ").append(versus).append(" |\n");
        }
        md.append('\n');
    }

    /** c: host CPU per I/O at a fixed offered load, tcp_offload against tcp in the same round. */
    private void cpu(StringBuilder md, SuitePlacement p) {
        if (variants('c', Variant.TCP).isEmpty()) {
            md.append("**c**: not run (`--benchmarks`).\n\n");
            return;
        }
        md.append("**c**, CPU per I/O at a fixed offered load (the perf engine's `rate_iops`, QD32 at most), us per")
                .append(" completed I/O; host includes the perf job (the load) and the driver's `irq/*` threads.")
                .append(" Achieved below ").append(f0(SUSTAINED * 100)).append(" % of the offered load is flagged.\n\n")
                .append("| configuration | achieved IOPS tcp / tcp_offload | host us/IO tcp | host us/IO tcp_offload |")
                .append(" NIC us/IO | host tcp_offload / tcp | (host + NIC) / tcp | sustained |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Variant tcp : variants('c', Variant.TCP)) {
            Variant off = tcp.on(Variant.OFFLOAD);
            double achieved = Math.min(median(p, tcp, Run::iops), median(p, off, Run::iops));
            md.append("| ").append(tcp.config()).append(" | ").append(f0(median(p, tcp, Run::iops))).append(" / ")
                    .append(f0(median(p, off, Run::iops))).append(" | ").append(f1(median(p, tcp, Run::hostUs)))
                    .append(" | ").append(f1(median(p, off, Run::hostUs))).append(" | ")
                    .append(f1(median(p, off, Run::nicUs))).append(" | ")
                    .append(ratio(p, "c host " + tcp.config(), m -> m.runs().get(off).hostUs()
                            / m.runs().get(tcp).hostUs()).cell()).append(" | ")
                    .append(ratio(p, "c host+NIC " + tcp.config(), m -> (m.runs().get(off).hostUs()
                            + m.runs().get(off).nicUs()) / m.runs().get(tcp).hostUs()).cell()).append(" | ")
                    .append(achieved >= SUSTAINED * tcp.rateIops() ? "yes" : "**no**").append(" |\n");
        }
        md.append('\n');
    }

    /** d: QD1 4 KiB read latency over the ceiling's at QD1. */
    private void latency(StringBuilder md, SuitePlacement p) {
        md.append("**d**, QD1 4 KiB random read latency / the batched ceiling's QD1 latency\n\n");
        if (variants.stream().noneMatch(v -> v.bench() == 'a' && v.depth() == 1 && v.queues() == 1)) {
            md.append("Not run (no 4 KiB QD1 run on one queue).\n\n");
            return;
        }
        md
                .append("| transport | p50 us | p99 us | p99.9 us | p50 ratio | p99 ratio | p99.9 ratio |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (String t : List.of(Variant.TCP, Variant.OFFLOAD)) {
            for (Variant v : variants('a', t)) {
                if (v.depth() != 1 || v.queues() != 1) {
                    continue;
                }
                md.append("| ").append(t).append(" | ").append(f1(median(p, v, r -> r.p50() / 1e3))).append(" | ")
                        .append(f1(median(p, v, r -> r.p99() / 1e3))).append(" | ")
                        .append(f1(median(p, v, r -> r.p999() / 1e3))).append(" | ")
                        .append(ratio(p, "d p50 " + t, m -> (double) m.runs().get(v).p50() / m.qd1().p50()).cell())
                        .append(" | ")
                        .append(ratio(p, "d p99 " + t, m -> (double) m.runs().get(v).p99() / m.qd1().p99()).cell())
                        .append(" | ")
                        .append(ratio(p, "d p99.9 " + t, m -> (double) m.runs().get(v).p999() / m.qd1().p999())
                                .cell())
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    /** e: host-side heap bytes per completed I/O in the window, every configuration. */
    private void allocation(StringBuilder md, SuitePlacement p) {
        md.append("**e**, heap bytes allocated per completed I/O in the window by the host side's threads (perf")
                .append(" jobs `perf-*`, tcp loops `nvme-tcp-*`, NIC engine `nic-*`, `irq/*`; not the target's),")
                .append(" `ThreadMXBean.getThreadAllocatedBytes` (the shared doc's target: 0 B/op). Next to it: ")
                .append(JMH_E)
                .append(".\n\n| id | configuration | tcp B/IO median (max) | tcp_offload B/IO median (max) |\n")
                .append("|---|---|---|---|\n");
        for (Variant tcp : variants) {
            if (!tcp.transport().equals(Variant.TCP)) {
                continue;
            }
            Variant off = tcp.on(Variant.OFFLOAD);
            md.append("| ").append(tcp.bench()).append(" | ").append(tcp.config()).append(" | ")
                    .append(bytesCell(p, tcp)).append(" | ").append(bytesCell(p, off)).append(" |\n");
        }
        md.append('\n');
    }

    private String bytesCell(SuitePlacement p, Variant v) {
        Ratio r = Ratio.of("", perRound(p, v, Run::hostBytesPerIo));
        return String.format(Locale.ROOT, "%.2f (%.2f)", r.median(), r.max());
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
