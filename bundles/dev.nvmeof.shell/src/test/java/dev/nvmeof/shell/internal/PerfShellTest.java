package dev.nvmeof.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import dev.nvmeof.testkit.NvmeCliJson;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code nvme perf} in a real Gogo session against our target: short runs, their report parsed. */
class PerfShellTest extends ShellSessionTest {
    @ParameterizedTest
    @CsvSource({"tcp, inline", "tcp, thread", "tcp_offload, inline", "tcp_offload, thread"})
    void shouldReportIopsLatencyAndCpuWithoutErrors(String transport, String completions) throws Exception {
        shell.run(shell.connect(transport));

        String out = shell.run("nvme perf /dev/nvme0n1 --rw=randrw --rwmixread 70 --bs 4k --iodepth 16"
                + " --numjobs 2 --runtime 1 --ramp_time=200ms --size 2m --verify --completions " + completions);

        assertTrue(out.startsWith("nvme0n1: rw=randrw, rwmixread=70, bs=4096, iodepth=16, numjobs=2, completions="
                + completions + ", verify\n"), out);
        assertTrue(figure(out, "read: IOPS=([0-9.]+)k?,") > 0, out);
        assertTrue(figure(out, "write: IOPS=([0-9.]+)k?,") > 0, out);
        assertTrue(figure(out, "lat \\(usec\\): p50=([0-9.]+),") > 0, out);
        assertTrue(figure(out, "cpu per I/O \\(usec\\): host=([0-9.]+),") > 0, out);
        assertTrue(out.contains("  errors: 0 (read 0, write 0)\n"), out);
        assertTrue(out.matches("(?s).*verify: [1-9][0-9]* reads checked, 0 wrong\n.*"), out);
    }

    @Test
    void shouldPrintJsonWithTheSameFigures() throws Exception {
        shell.run(shell.connect("tcp_offload"));

        String out = shell.run("nvme perf nvme0n1 --rw read --bs 8k --iodepth 4 --number_ios 2000 -o json");

        NvmeCliJson.keyPaths(out); // strict RFC 8259
        assertTrue(out.contains("\"rw\":\"read\""), out);
        assertTrue(out.contains("\"read\":{\n    \"ios\":2000,\n    \"errors\":0,\n    \"bytes\":16384000,"), out);
        assertTrue(out.contains("\"errors\":0,\n  \"verified\":0"), out);
        assertTrue(figure(out, "\"nic\":([0-9.]+)") > 0, out);
    }

    @Test
    void shouldIssueNoFasterThanRateIops() throws Exception {
        shell.run(shell.connect("tcp"));

        String out = shell.run("nvme perf nvme0n1 --iodepth 8 --number_ios 400 --rate_iops 4000 -o json");

        assertTrue(out.contains("\"read\":{\n    \"ios\":400,\n    \"errors\":0,"), out);
        assertTrue(out.contains("\"completions\":\"thread\""), "a schedule is the job thread's: " + out);
        assertTrue(figure(out, "\"iops\":([0-9.]+)") <= 4000 * 1.01, "a schedule of 4000/s, the first I/O at 0: "
                + out);
    }

    @Test
    void shouldNameTheBadOptionInOneLine() {
        assertEquals("nvme perf: unknown option '--iodepht'",
                assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --iodepht 4")).getMessage());
        assertEquals("nvme perf: rw 'randomread' is not one of read, write, rw, randread, randwrite, randrw",
                assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --rw randomread"))
                        .getMessage());
        assertEquals("nvme perf: '--runtime': 'ten' is not a number",
                assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --runtime ten"))
                        .getMessage());
        assertEquals("nvme perf: '--completions' 'poll' is not one of inline, thread",
                assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --completions poll"))
                        .getMessage());
        ShellException e = assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --iodepth 0"));
        assertEquals("nvme perf: iodepth 0 is not 1..1024", e.getMessage());
        assertEquals(ShellException.EINVAL, e.status());
    }

    @Test
    void shouldSayWhatTheDeviceCannotDo() throws Exception {
        shell.run(shell.connect("tcp"));

        ShellException e = assertThrows(ShellException.class, () -> shell.run("nvme perf nvme0n1 --bs 1000"));

        assertEquals("nvme perf: bs 1000 is not a multiple of nvme0n1's block size (512)", e.getMessage());
        assertEquals("nvme perf: no such device: nvme1n1",
                assertThrows(ShellException.class, () -> shell.run("nvme perf nvme1n1")).getMessage());
    }

    private static double figure(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " in " + out);
        return Double.parseDouble(m.group(1));
    }
}
