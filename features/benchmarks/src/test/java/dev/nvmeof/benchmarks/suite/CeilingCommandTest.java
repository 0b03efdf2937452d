package dev.nvmeof.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The ceiling as a command: its line, its pinning, and its errors; nothing about speed. */
class CeilingCommandTest {
    private static final Pattern LINE =
            Pattern.compile("ceiling QD(\\d+) (\\w+): (\\d+) round trips/s, p50 [0-9.]+ us\\n");

    @Test
    void shouldPrintTheRoundTripsOfARunPinnedSplit() throws Exception {
        Run run = run("--depth", "4", "--seconds", "0.5", "--ramp", "0.1", "--placement", "split");

        assertEquals(0, run.exit, run.err);
        Matcher m = LINE.matcher(run.out);
        assertTrue(m.matches(), run.out);
        assertEquals("4", m.group(1));
        assertEquals("split", m.group(2));
        assertTrue(Long.parseLong(m.group(3)) > 0, run.out);
    }

    @Test
    void shouldRefuseAnUnknownOptionOrABadValueWithUsage() throws Exception {
        Run unknown = run("--qd", "4");
        Run depth = run("--depth", "0");
        Run seconds = run("--seconds", "0");
        Run word = run("--ramp", "two");
        Run placement = run("--placement", "apart");
        Run missing = run("--depth");

        assertEquals(2, unknown.exit);
        assertTrue(unknown.err.contains("unknown option --qd") && unknown.err.contains("usage:"), unknown.err);
        assertEquals(2, depth.exit);
        assertTrue(depth.err.contains("--depth takes 1..1024"), depth.err);
        assertEquals(2, seconds.exit);
        assertTrue(seconds.err.contains("--seconds more than 0"), seconds.err);
        assertEquals(2, word.exit);
        assertTrue(word.err.contains("--ramp takes a number, not two"), word.err);
        assertEquals(2, placement.exit);
        assertTrue(placement.err.contains("--placement takes colocated, split and unpinned, not apart"),
                placement.err);
        assertEquals(2, missing.exit);
        assertTrue(missing.err.contains("--depth needs a value"), missing.err);
        assertEquals("", unknown.out + depth.out + seconds.out + word.out + placement.out + missing.out);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CeilingCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
