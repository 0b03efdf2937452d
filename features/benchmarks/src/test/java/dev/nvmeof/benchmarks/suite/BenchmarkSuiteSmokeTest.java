package dev.nvmeof.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A few-second smoke of the suite, so CI notices when it breaks: one round of 0.3 s per variant (after 0.1 s of
 * ramp) at both placements (co-located and split), benchmark a at QD1 and QD32, one b, both c loads on both
 * transports, the ceilings, and f's hot swap three times. It asserts what a user sees: the report and the plot are written and well formed,
 * every configuration has its figures at every placement, the placements and their pinned threads are named, no I/O
 * failed or read wrong data; nothing about speed or duration.
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void shouldWriteAReportWithEveryFigureAtBothPlacementsAndNoIoErrors(@TempDir Path out) throws Exception {
        SuiteRun run = run("--smoke", "--swaps", "3", "--rounds", "1", "--seconds", "0.3", "--ramp", "0.1",
                "--size", "16m", "--rate-4k", "4000", "--rate-128k", "1000", "--out", out.toString());
        Report report = run.report();
        String printed = run.printed();

        assertEquals(0, report.ioErrors(), printed);
        assertTrue(report.verifiedReads() > 0, "a sample of the reads was checked: " + printed);
        assertEquals(List.of(), report.missingFigures(), printed);
        assertEquals(0, report.pinnedLate(), "the perf jobs are born on the host side's CPU: " + printed);
        for (Report.Ratio r : report.ratios()) {
            assertTrue(r.min() > 0 && Double.isFinite(r.max()), r.toString());
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## co-located: host side and target side on vCPU 0"), md);
        assertTrue(md.contains("## split: host side on vCPU 0, target side on vCPU 1"), md);
        assertTrue(md.contains("- split: host side on vCPU 0, target side on vCPU 1; vCPU 0: `ceiling-client`"), md);
        assertTrue(md.matches("(?s).*- split: [^\\n]*vCPU 0: [^\\n]*`perf-[^\\n]*vCPU 1: [^\\n]*`nvmeof-target-.*"),
                "the split line names the perf jobs on 0 and the target on 1: " + md);
        assertTrue(md.contains("| a | 4k randread QD32 1q | tcp_offload |"), md);
        assertTrue(md.contains("| 4k randread QD32 @4000 IOPS | "), "c at its offered load: " + md);
        assertTrue(md.contains("128k randread QD32 +DD @1000 IOPS"), md);
        assertTrue(md.contains("**e**, heap bytes allocated per completed I/O") && md.contains(Report.JMH_E), md);
        assertTrue(md.contains("## f: hot swap of the serving driver, unpinned\n\n3 swaps under QD32")
                && md.matches("(?s).*\\| pause \\(longest gap between two completions\\), ms \\| \\d+ \\| \\d+ \\| \\d+ .*")
                && md.contains("I/Os; failed: none; blocks not reading back their last acknowledged write: 0"), md);
        assertTrue(md.contains(StreamCeiling.iperf3() != null ? "| stream: iperf3 -c 127.0.0.1 -l 128K"
                : "| stream: " + StreamCeiling.JAVA_STAND_IN), md);
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("plot.svg")
                .toFile());
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        // per placement: IOPS and p99 panels of 2 configurations and one b panel of 1, 2 transports each; the
        // legend's 2 swatches and the background
        assertEquals(2 * (2 * 2 * 2 + 2) + 3, svg.getElementsByTagName("rect").getLength());
        assertNotNull(report.svgFile());
    }

    @Test
    void shouldRunTheHotSwapAloneWhenOnlyItIsAskedFor(@TempDir Path out) throws Exception {
        SuiteRun run = run("--benchmarks", "f", "--swaps", "2", "--size", "16m", "--out", out.toString());
        Report report = run.report();

        assertEquals(0, report.ioErrors(), run.printed());
        assertTrue(run.printed().contains("f: 2 swaps of the serving driver under QD32"), run.printed());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## f: hot swap of the serving driver, unpinned\n\n2 swaps"), md);
        assertFalse(md.contains("## co-located"), "no rounds, no placement sections: " + md);
        assertFalse(Files.exists(out.resolve("plot.svg")), "nothing to plot");
    }

    @Test
    void shouldRunOnlyTheBenchmarksAskedForAtTheQueueCountsAskedFor(@TempDir Path out) throws Exception {
        SuiteRun run = run("--benchmarks", "a", "--queues", "2", "--placement", "colocated", "--rounds", "1",
                "--seconds", "0.3", "--ramp", "0.1", "--size", "16m", "--out", out.toString());
        Report report = run.report();
        String printed = run.printed();

        assertEquals(0, report.ioErrors(), printed);
        assertEquals(List.of(), report.missingFigures(), printed);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("--queues 2 ") && md.contains("--benchmarks a "), "the command as run: " + md);
        assertTrue(md.contains("**f** (hot swap): not run"), md);
        assertTrue(md.contains("| a | 4k randread QD32 2q | tcp_offload |"), md);
        assertTrue(md.contains("| batched request/response QD64, round trips/s |"), "32 x 2 queues: " + md);
        assertFalse(md.contains("| b |") || md.contains("@"), "no b or c runs: " + md);
        assertTrue(md.contains("**c**: not run (`--benchmarks`)."), md);
        assertTrue(md.contains("Not run (no 4 KiB QD1 run on one queue)."), md);
        assertTrue(Files.readString(out.resolve("plot.svg")).contains("QD64"), "the plot names the ceilings run");
    }

    /** The suite's report and what it printed. */
    private record SuiteRun(Report report, String printed) {
    }

    private static SuiteRun run(String... args) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            Report report = BenchmarkSuite.run(BenchmarkSuite.Options.parse(args), p);
            return new SuiteRun(report, log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldMeasureTheBatchedCeilingAtQd1AndQd32() throws Exception {
        for (boolean selector : new boolean[] {true, false}) {
            for (int depth : new int[] {1, 32}) {
                BatchedCeiling.Result r = BatchedCeiling.run(depth, 0, 200_000_000L, selector);
                assertTrue(r.roundTrips() > 0 && r.perSecond() > 0, r.toString());
                assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() <= r.p999(), r.toString());
            }
        }
    }

    @Test
    void shouldReadTheReceiverFigureOfIperf3Json() {
        String json = "{\"end\":{\"sum_sent\":{\"bytes\":1,\"bits_per_second\":2.5e10},"
                + "\"sum_received\":{\"start\":0,\"bytes\":1,\"bits_per_second\":2.25e10,\"sender\":true}}}";
        assertEquals(2.25e10, StreamCeiling.parseReceivedBitsPerSecond(json));
        assertNull(StreamCeiling.parseReceivedBitsPerSecond("{\"error\":\"unable to connect\"}"));
    }

    @Test
    void shouldParseOptionsAndRefuseUnknownOnes() {
        BenchmarkSuite.Options o = BenchmarkSuite.Options.parse("--rounds", "3", "--size", "256m", "--queues", "1,2");
        assertEquals(3, o.rounds());
        assertEquals(256L << 20, o.sizeBytes());
        assertEquals(2, o.queues().length);
        assertEquals(List.of(SuitePlacement.COLOCATED, SuitePlacement.SPLIT), o.placements(), "the default pair");
        assertEquals(20_000, o.rate4k());
        assertEquals(7_630, o.rate128k(), "1 GB/s of 128 KiB reads");
        assertEquals(List.of(SuitePlacement.UNPINNED), BenchmarkSuite.Options.parse("--placement", "unpinned")
                .placements());
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--ceiling", "spin"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--placement", "near"));
        assertEquals("abcf", o.benchmarks(), "all by default");
        assertEquals(100, o.swaps(), "f's swaps by default");
        assertEquals(64L << 20, o.randomRegion(), "a and c read over 64 MiB by default");
        assertEquals(8L << 20, BenchmarkSuite.Options.parse("--region", "8m").randomRegion());
        assertEquals(16L << 20, BenchmarkSuite.Options.parse("--region", "64m", "--size", "16m").randomRegion(),
                "never beyond b's working set");
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--region", "512k"));
        assertEquals("ac", BenchmarkSuite.Options.parse("--benchmarks", "a,c").benchmarks());
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--benchmarks", "a,g"));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.Options.parse("--swaps", "0"));
    }

    @Test
    void shouldCutTheWorkingSetToWhatDirectMemoryHoldsAndSaySo() {
        BenchmarkSuite.Options o = BenchmarkSuite.Options.parse("--size", "1g");

        BenchmarkSuite.WorkingSet roomy = BenchmarkSuite.WorkingSet.fit(o, 6L << 30);
        BenchmarkSuite.WorkingSet tight = BenchmarkSuite.WorkingSet.fit(o, 1L << 30);

        assertEquals(1L << 30, roomy.bytes());
        assertFalse(roomy.cut());
        assertEquals(512L << 20, tight.bytes(), "the largest power of two beside the 256 MiB margin");
        assertTrue(tight.describe().contains("asked 1024 MiB: this JVM's direct memory limit is 1024 MiB"),
                tight.describe());
    }
}
