package dev.nvmeof.benchmarks.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time from {@code /proc}, to tell how noisy a round was: the CPU time of every other process
 * ({@code utime + stime} of each {@code /proc/<pid>/stat} but ours; processes that start and end within a round are
 * missed), and the system-wide irq + softirq time (loopback TCP's receive side runs there, partly on our behalf) and
 * steal time (the hypervisor gave the vCPU to someone else). All in clock ticks ({@code USER_HZ}, 100 on Linux).
 * Where there is no {@code /proc} (not Linux) every figure is 0 and {@link #available()} says so.
 */
public record ProcCpu(long othersTicks, long irqTicks, long stealTicks, long nanoTime) {
    static final double TICKS_PER_SECOND = 100.0;
    private static final Path PROC = Path.of("/proc");

    public static boolean available() {
        return Files.isReadable(PROC.resolve("stat"));
    }

    /** Now; {@code ours} are processes we started (an out-of-process target), not counted as others. */
    public static ProcCpu sample(long... ours) {
        long now = System.nanoTime();
        if (!available()) {
            return new ProcCpu(0, 0, 0, now);
        }
        long self = ProcessHandle.current().pid();
        long others = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path pid : pids) {
                long id = Long.parseLong(pid.getFileName().toString());
                if (id == self || java.util.Arrays.stream(ours).anyMatch(o -> o == id)) {
                    continue;
                }
                others += processTicks(pid.resolve("stat"));
            }
        } catch (IOException e) {
            // a listing that failed half way: the figure is a lower bound
        }
        long irq = 0;
        long steal = 0;
        try {
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            String[] f = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            irq = Long.parseLong(f[6]) + Long.parseLong(f[7]);
            steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        } catch (IOException | RuntimeException e) {
            // no figure
        }
        return new ProcCpu(others, irq, steal, now);
    }

    /** utime + stime of one process, 0 if it went away. */
    private static long processTicks(Path stat) {
        try {
            String s = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
            // the command name is in parentheses and may contain spaces: fields count from after the last ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Context switches of this JVM's threads, summed by thread name ({@code /proc/self/task/<tid>/comm}, 15
     * characters): voluntary ones are the thread going to sleep, so per I/O they count its wake-ups. Empty without
     * {@code /proc}.
     */
    static java.util.Map<String, Long> threadSwitches() {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        if (!available()) {
            return byName;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            byName.merge(comm, Long.parseLong(line.substring(line.indexOf(':') + 1).trim()),
                                    Long::sum);
                        }
                    }
                } catch (IOException | RuntimeException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no figure
        }
        return byName;
    }

    /** What happened between {@code earlier} and this sample, in % of one CPU. */
    public Noise since(ProcCpu earlier) {
        double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        double scale = 100.0 / TICKS_PER_SECOND / seconds;
        return new Noise(Math.max(0, othersTicks - earlier.othersTicks) * scale,
                Math.max(0, irqTicks - earlier.irqTicks) * scale, Math.max(0, stealTicks - earlier.stealTicks) * scale);
    }

    /** Other processes', irq + softirq and steal CPU, each in % of one CPU over the interval. */
    public record Noise(double othersPercent, double irqPercent, double stealPercent) {
    }
}
