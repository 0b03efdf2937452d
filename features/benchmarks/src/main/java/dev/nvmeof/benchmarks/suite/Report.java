package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Options;
import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Round;
import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Run;

/**
 * The suite's report: per benchmark the median of the per-round ratios with min and max, next to the absolute
 * figures and the ceilings of the same rounds; others' CPU per round; a Markdown file and an SVG plot.
 */
final class Report {
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
    private final Instant started;
    private final Duration took;
    private final List<Round> rounds;
    private final List<Variant> variants;
    private final List<Ratio> ratios = new ArrayList<>();
    private Path markdown;
    private Path svg;

    Report(Options options, Instant started, Duration took, List<Round> rounds) {
        this.options = options;
        this.started = started;
        this.took = took;
        this.rounds = rounds;
        this.variants = new ArrayList<>(rounds.get(0).runs().keySet());
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

    long ioErrors() {
        return rounds.stream().flatMap(r -> r.runs().values().stream()).mapToLong(r -> r.errors() + r.verifyErrors())
                .sum();
    }

    long verifiedReads() {
        return rounds.stream().flatMap(r -> r.runs().values().stream()).mapToLong(Run::verified).sum();
    }

    void write(Path dir) throws IOException {
        ratios.clear();
        markdown = dir.resolve("report.md");
        svg = dir.resolve("plot.svg");
        Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
        Files.writeString(svg, SvgPlot.render(this), StandardCharsets.UTF_8);
    }

    /** Per-round values of one figure of one variant. */
    double[] perRound(Variant v, ToDoubleFunction<Run> figure) {
        return rounds.stream().mapToDouble(r -> figure.applyAsDouble(r.runs().get(v))).toArray();
    }

    double median(Variant v, ToDoubleFunction<Run> figure) {
        return Ratio.of("", perRound(v, figure)).median();
    }

    double medianCeiling(ToDoubleFunction<Round> figure) {
        return Ratio.of("", rounds.stream().mapToDouble(figure).toArray()).median();
    }

    List<Variant> variants(char bench, String transport) {
        return variants.stream().filter(v -> v.bench() == bench && v.transport().equals(transport)).toList();
    }

    private Ratio ratio(String what, ToDoubleFunction<Round> perRound) {
        Ratio r = Ratio.of(what, rounds.stream().mapToDouble(perRound).toArray());
        ratios.add(r);
        return r;
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        long noisy = rounds.stream().filter(Round::noisy).count();
        md.append("Started ").append(started).append(", took ").append(took.toSeconds()).append(" s. Command: `java -cp")
                .append(" features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.suite.BenchmarkSuite ")
                .append(options.describe()).append("`. Placement: unpinned (the scheduler's; no co-located/split")
                .append(" pair). Target: ").append(options.externalTarget() ? "out of process (appliance jar)"
                        : "in this JVM").append(", RAM namespace; ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, Java ").append(System.getProperty("java.version")).append(". Rounds with others' CPU")
                .append(" > 5 % of a core: ").append(noisy).append(" of ").append(rounds.size())
                .append(". I/O errors: ").append(ioErrors()).append("; verified reads: ").append(verifiedReads())
                .append(".\n\n");
        ceilings(md);
        throughput(md);
        cpu(md);
        latency(md);
        md.append("\n**e** (allocation per I/O): not rerun; JMH `IoPathBenchmark -prof gc`, Run 3 of BENCHMARKS.md.")
                .append(" **f** (hot swap): not rerun; HotSwapIT, its section in BENCHMARKS.md.\n\n");
        md.append("| round | others' CPU, % of a core | noisy |\n|---|---|---|\n");
        for (Round r : rounds) {
            md.append("| ").append(r.number()).append(" | ").append(f1(r.othersPercent())).append(" | ")
                    .append(r.noisy() ? "yes" : "").append(" |\n");
        }
        return md.toString();
    }

    private void ceilings(StringBuilder md) {
        md.append("| ceiling (same rounds; batched: both ends ").append(options.selectorCeiling()
                ? "wait in a selector" : "block in read").append(") | median (min-max) |\n|---|---|\n");
        for (int depth : rounds.get(0).batched().keySet()) {
            md.append("| batched request/response QD").append(depth).append(", round trips/s | ")
                    .append(ratio("ceiling QD" + depth + " rt/s", r -> r.batched(depth).perSecond()).cell())
                    .append(" |\n");
        }
        md.append("| same, QD1 latency p50 / p99 / p99.9, us | ").append(f1(medianCeiling(r -> r.qd1().p50() / 1e3)))
                .append(" / ").append(f1(medianCeiling(r -> r.qd1().p99() / 1e3))).append(" / ")
                .append(f1(medianCeiling(r -> r.qd1().p999() / 1e3))).append(" |\n");
        if (!options.smoke()) {
            md.append("| stream: ").append(rounds.get(0).stream().name()).append(", GB/s | ")
                    .append(ratio("ceiling stream GB/s", r -> r.stream().gbPerSecond()).cell()).append(" |\n");
        }
        md.append('\n');
    }

    /** a and b: absolute figures, ratio to the ceiling, tcp_offload over tcp. */
    private void throughput(StringBuilder md) {
        md.append("a: IOPS / the batched ceiling at as many requests outstanding (QD x queues, one connection);")
                .append(" b: payload GB/s / the stream ceiling.\n\n");
        md.append("| id | configuration | transport | IOPS | MiB/s | p50 / p99 us | ratio to ceiling | ")
                .append("tcp_offload / tcp |\n|---|---|---|---|---|---|---|---|\n");
        for (Variant v : variants) {
            boolean a = v.bench() == 'a';
            Ratio toCeiling = ratio(v.bench() + " " + v.config() + " " + v.transport() + (a ? " / batched QD"
                    + v.depth() * v.queues() : " / stream"), r -> a ? r.runs().get(v).iops()
                            / r.ceilingOf(v).perSecond()
                            : r.runs().get(v).mibPerSecond() * (1 << 20) / 1e9 / r.stream().gbPerSecond());
            String versus = "";
            if (v.transport().equals(Variant.OFFLOAD)) {
                Variant tcp = v.on(Variant.TCP);
                versus = ratio(v.bench() + " " + v.config() + " offload/tcp", r -> r.runs().get(v).iops()
                        / r.runs().get(tcp).iops()).cell();
            }
            md.append("| ").append(v.bench()).append(" | ").append(v.config()).append(" | ").append(v.transport())
                    .append(" | ").append(f0(median(v, Run::iops))).append(" | ").append(f1(median(v,
                            Run::mibPerSecond))).append(" | ").append(f1(median(v, r -> r.p50() / 1e3))).append(" / ")
                    .append(f1(median(v, r -> r.p99() / 1e3))).append(" | ").append(toCeiling.cell()).append(" | ")
                    .append(versus).append(" |\n");
        }
        md.append('\n');
    }

    /** c: the engine's CPU per I/O at QD32 (it has no rate limit, so not at a fixed offered load). */
    private void cpu(StringBuilder md) {
        md.append("**c**, host CPU per I/O from the perf engine at QD32 (the engine has no rate limit: not the fixed")
                .append(" offered load of the method; `CpuPerIo` measures that). Host includes the perf job threads.\n\n")
                .append("| configuration | host us/IO tcp | host us/IO tcp_offload | NIC us/IO | host offload / tcp |")
                .append(" (host + NIC) / tcp |\n|---|---|---|---|---|---|\n");
        for (Variant tcp : variants('a', Variant.TCP)) {
            if (tcp.depth() != 32 || tcp.queues() != 1) {
                continue;
            }
            Variant off = tcp.on(Variant.OFFLOAD);
            md.append("| ").append(tcp.config()).append(" | ").append(f1(median(tcp, Run::hostUs))).append(" | ")
                    .append(f1(median(off, Run::hostUs))).append(" | ").append(f1(median(off, Run::nicUs)))
                    .append(" | ").append(ratio("c host " + tcp.config(), r -> r.runs().get(off).hostUs()
                            / r.runs().get(tcp).hostUs()).cell()).append(" | ")
                    .append(ratio("c host+NIC " + tcp.config(), r -> (r.runs().get(off).hostUs()
                            + r.runs().get(off).nicUs()) / r.runs().get(tcp).hostUs()).cell()).append(" |\n");
        }
        md.append('\n');
    }

    /** d: QD1 4 KiB read latency over the ceiling's at QD1. */
    private void latency(StringBuilder md) {
        md.append("**d**, QD1 4 KiB random read latency / the batched ceiling's QD1 latency\n\n")
                .append("| transport | p50 us | p99 us | p99.9 us | p50 ratio | p99 ratio | p99.9 ratio |\n")
                .append("|---|---|---|---|---|---|---|\n");
        Set<String> transports = new LinkedHashSet<>(List.of(Variant.TCP, Variant.OFFLOAD));
        for (String t : transports) {
            for (Variant v : variants('a', t)) {
                if (v.depth() != 1 || v.queues() != 1) {
                    continue;
                }
                md.append("| ").append(t).append(" | ").append(f1(median(v, r -> r.p50() / 1e3))).append(" | ")
                        .append(f1(median(v, r -> r.p99() / 1e3))).append(" | ")
                        .append(f1(median(v, r -> r.p999() / 1e3))).append(" | ")
                        .append(ratio("d p50 " + t, r -> (double) r.runs().get(v).p50() / r.qd1().p50()).cell())
                        .append(" | ")
                        .append(ratio("d p99 " + t, r -> (double) r.runs().get(v).p99() / r.qd1().p99()).cell())
                        .append(" | ")
                        .append(ratio("d p99.9 " + t, r -> (double) r.runs().get(v).p999() / r.qd1().p999()).cell())
                        .append(" |\n");
            }
        }
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
