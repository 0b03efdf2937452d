package dev.nvmeof.shell.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: where an {@code nvme perf} run's CPU, system calls and context switches go, per thread and per I/O,
 * read from {@code /proc/self/task} (no ptrace, which this sandbox refuses). One JVM: our target and the host over
 * one transport with one I/O queue ({@link ShellFixture}). A first run warms up; the second runs 8 s, and the counts
 * are taken 2 s and 6 s into it, so every thread, the job's included, is counted over the same 4 s.
 *
 * <pre>
 * mvn -pl bundles/dev.nvmeof.shell dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java -cp bundles/dev.nvmeof.shell/target/test-classes:bundles/dev.nvmeof.shell/target/classes:$(cat cp.txt) \
 *     dev.nvmeof.shell.internal.PerfThreadsByHand tcp|tcp_offload [iodepth 32] [bs 4k] [rw randread] [size]
 * </pre>
 * Columns: voluntary and involuntary context switches, read-type and write-type system calls ({@code syscr},
 * {@code syscw}: epoll and futex calls are in neither), CPU and user CPU in microseconds, all per I/O.
 */
public final class PerfThreadsByHand {
    private static final long WINDOW_SECONDS = 4;

    private PerfThreadsByHand() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "tcp";
        String job = "nvme perf /dev/nvme0n1 --rw " + (args.length > 3 ? args[3] : "randread") + " --bs "
                + (args.length > 2 ? args[2] : "4k") + " --iodepth " + (args.length > 1 ? args[1] : "32")
                + (args.length > 4 ? " --size " + args[4] : "");
        try (ShellFixture shell = new ShellFixture(Files.createTempDirectory("perf-threads"))) {
            shell.run(shell.connect(transport) + " -i 1");
            shell.run(job + " --runtime 3");
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return shell.run(job + " --runtime 8");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pause(2); // into the measured run
            Map<String, long[]> before = snapshot();
            pause(WINDOW_SECONDS);
            Map<String, long[]> after = snapshot();
            String report = run.get(60, TimeUnit.SECONDS);
            System.out.println(transport + ": " + report);
            Matcher iops = Pattern.compile("IOPS=([0-9.]+)(k?)").matcher(report);
            if (!iops.find()) {
                throw new IllegalStateException("no IOPS in " + report);
            }
            double ios = Double.parseDouble(iops.group(1)) * (iops.group(2).isEmpty() ? 1 : 1000) * WINDOW_SECONDS;
            System.out.printf("%-36s %8s %8s %8s %8s %9s %9s%n", "thread (I/Os in the window: "
                    + Math.round(ios) + ")", "vol/io", "invol/io", "rd/io", "wr/io", "cpu us/io", "usr us/io");
            after.forEach((thread, end) -> {
                long[] start = before.getOrDefault(thread, new long[end.length]);
                if (end[4] - start[4] < 5) {
                    return; // less than 50 ms of CPU in the window: not on the I/O path
                }
                System.out.printf("%-36s %8.2f %8.2f %8.2f %8.2f %9.2f %9.2f%n", thread, (end[0] - start[0]) / ios,
                        (end[1] - start[1]) / ios, (end[2] - start[2]) / ios, (end[3] - start[3]) / ios,
                        (end[4] - start[4]) * 10_000.0 / ios, (end[5] - start[5]) * 10_000.0 / ios);
            });
        }
    }

    /** Per thread (name#tid): voluntary, involuntary switches, syscr, syscw, CPU and user CPU in clock ticks. */
    private static Map<String, long[]> snapshot() throws IOException {
        Map<String, long[]> threads = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    long[] counts = new long[6];
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        counts[0] = line.startsWith("voluntary_ctxt_switches") ? number(line) : counts[0];
                        counts[1] = line.startsWith("nonvoluntary_ctxt_switches") ? number(line) : counts[1];
                    }
                    for (String line : Files.readAllLines(task.resolve("io"))) {
                        counts[2] = line.startsWith("syscr") ? number(line) : counts[2];
                        counts[3] = line.startsWith("syscw") ? number(line) : counts[3];
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    counts[5] = Long.parseLong(fields[11]);
                    counts[4] = counts[5] + Long.parseLong(fields[12]);
                    threads.put(Files.readString(task.resolve("comm")).trim() + "#" + task.getFileName(), counts);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return threads;
    }

    private static void pause(long seconds) {
        new CompletableFuture<Void>().completeOnTimeout(null, seconds, TimeUnit.SECONDS).join();
    }

    private static long number(String line) {
        return Long.parseLong(line.split("\\s+")[1]);
    }
}
