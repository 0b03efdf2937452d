package dev.nvmeof.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A few-second smoke of the suite, so CI notices when it breaks: one round of 0.5 s per variant, benchmark a at QD1
 * and QD32 on both transports and the batched ceiling. It asserts that the report and the plot are written and
 * well formed, every ratio is a positive number and no I/O failed or read wrong data; nothing about speed.
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void shouldWriteAReportAndAPlotWithPositiveRatiosAndNoIoErrors(@TempDir Path out) throws Exception {
        BenchmarkSuite.Options options = BenchmarkSuite.Options.parse("--smoke", "--rounds", "1", "--seconds", "0.5",
                "--ramp", "0.2", "--out", out.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Report report;
        try (PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            report = BenchmarkSuite.run(options, p);
        }
        String printed = log.toString(StandardCharsets.UTF_8);

        assertEquals(0, report.ioErrors(), printed);
        assertTrue(report.verifiedReads() > 0, "a sample of the reads was checked: " + printed);
        // ceilings at QD1 and QD32; a: 2 depths x 2 transports to the ceiling + 2 offload/tcp; c: 2; d: 3 x 2
        assertEquals(2 + 4 + 2 + 2 + 6, report.ratios().size(), report.ratios().toString());
        for (Report.Ratio r : report.ratios()) {
            assertTrue(r.min() > 0 && Double.isFinite(r.max()), r.toString());
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| a | 4k randread QD32 1q | tcp_offload |"), md);
        assertTrue(md.contains("batched request/response QD1"), md);
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("plot.svg")
                .toFile());
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        // two panels (IOPS, p99) of 2 configurations x 2 transports, and the legend's 2 swatches and background
        assertEquals(2 * 2 * 2 + 3, svg.getElementsByTagName("rect").getLength());
        assertNotNull(report.svgFile());
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
        assertEquals(null, StreamCeiling.parseReceivedBitsPerSecond("{\"error\":\"unable to connect\"}"));
    }

    @Test
    void shouldParseOptionsAndRefuseUnknownOnes() {
        BenchmarkSuite.Options o = BenchmarkSuite.Options.parse("--rounds", "3", "--size", "256m", "--queues", "1,2");
        assertEquals(3, o.rounds());
        assertEquals(256L << 20, o.sizeBytes());
        assertEquals(2, o.queues().length);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchmarkSuite.Options.parse("--bogus", "1"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchmarkSuite.Options.parse("--ceiling", "spin"));
    }
}
