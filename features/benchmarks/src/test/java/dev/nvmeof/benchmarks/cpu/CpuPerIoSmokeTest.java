package dev.nvmeof.benchmarks.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nvmeof.benchmarks.cpu.CpuPerIo.Config;
import dev.nvmeof.benchmarks.cpu.CpuPerIo.Report;
import dev.nvmeof.benchmarks.cpu.CpuPerIo.Row;
import dev.nvmeof.benchmarks.cpu.CpuPerIo.Size;

/**
 * A few-second smoke of benchmark c's harness (tiny rounds, low rates), so CI notices when it breaks: every variant
 * completes reads with the right data and every CPU class is reported. It asserts nothing about speed: the figures
 * of a shared CI machine mean nothing; the measurement is run by hand (BENCHMARKS.md).
 */
class CpuPerIoSmokeTest {

    @Test
    void shouldProduceWellFormedFiguresForEveryVariantAndClass() throws Exception {
        Config config = new Config(2, 0.25, 0.2, 0.1, 2_000, 500, List.of(Size.values()), "none", 8, 8, 4);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Report report;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            report = CpuPerIo.run(config, out);
        }
        String printed = text.toString(StandardCharsets.UTF_8);

        // 2 rounds x (2 load-only rates + 3 sizes x 2 transports)
        assertEquals(2 * (2 + 3 * 2), report.rows().size(), printed);
        for (Row row : report.rows()) {
            String what = row.round() + " " + row.size() + " " + row.transport() + ": " + row;
            assertTrue(row.completions() > 0, what);
            assertEquals(0, row.load().failures(), what);
            assertEquals(0, row.load().verifyFailures(), what);
            assertTrue(row.cpu().hostNanos() > 0, what);
            // the JVM class is process CPU (clock ticks, 10 ms) minus thread CPU (ns): over a short round it may
            // come out a little negative, never by more than a few ticks
            assertTrue(row.cpu().jvmNanos() > -50_000_000L, what);
            assertTrue(Double.isFinite(row.hostUs()) && Double.isFinite(row.nicUs())
                    && Double.isFinite(row.targetUs()) && Double.isFinite(row.jvmUs()), what);
            if (!row.transport().equals(CpuPerIo.LOAD_ONLY)) {
                assertTrue(row.load().verified() > 0, "a sample of the reads was checked: " + what);
                assertTrue(row.cpu().targetNanos() > 0, what);
            }
            if (row.transport().equals("tcp_offload")) {
                assertTrue(row.cpu().nicEngineNanos() > 0, "the NIC engine did the offloaded work: " + what);
            }
        }
        assertEquals(2 * 3, report.ratios().size(), printed);
        for (CpuPerIo.Ratio ratio : report.ratios()) {
            assertTrue(ratio.host() > 0 && Double.isFinite(ratio.host()), ratio.toString());
            assertTrue(ratio.hostPlusNic() > 0 && Double.isFinite(ratio.hostPlusNic()), ratio.toString());
            assertTrue(ratio.all() > 0 && Double.isFinite(ratio.all()), ratio.toString());
        }
        assertEquals(3, report.summaries().size());
        for (CpuPerIo.Summary summary : report.summaries()) {
            assertEquals(2, summary.rounds());
            assertTrue(Double.isFinite(summary.host()[0]) && summary.host()[1] <= summary.host()[0]
                    && summary.host()[0] <= summary.host()[2], summary.size() + " median within min-max");
        }
        for (String expected : List.of("| host | NIC engine | target | JVM (GC, JIT) |", "## Summary", "| 4 KiB |",
                "| 128 KiB, data digest |", "nic-A1", "nvmeof-target-loop-0", "nvme-tcp-0", "bench-load")) {
            assertTrue(printed.contains(expected), "the report shows " + expected + ":\n" + printed);
        }
    }
}
