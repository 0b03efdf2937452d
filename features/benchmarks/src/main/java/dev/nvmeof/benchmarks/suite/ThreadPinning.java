package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Pins this JVM's measurement threads by their names ({@code /proc/self/task/<tid>/comm}, cut to 15 characters by
 * Linux) with {@code taskset -p -c CPU TID}, checks each move in {@code /proc/self/task/<tid>/status}
 * ({@code Cpus_allowed_list}) and moves them back to the CPUs this process had at the start. Threads of neither side
 * (GC, JIT, the suite's own) are left alone. Records which thread went where, for the report.
 */
final class ThreadPinning {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long TASKSET_TIMEOUT_SECONDS = 10;

    /** The two ends of a measurement. */
    enum Side { HOST, TARGET }

    /** taskset is missing, refused or did not take: the run cannot say where its threads ran. */
    static final class PinningException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PinningException(String message) {
            super(message);
        }
    }

    private final String restoreCpus;
    /** tid -> thread name of the threads pinned now, to move back. */
    private final Map<String, String> pinnedNow = new LinkedHashMap<>();
    /** Per placement and CPU, the names of the threads pinned there, for the report. */
    private final Map<String, Set<String>> record = new LinkedHashMap<>();

    ThreadPinning() {
        this.restoreCpus = allowedCpus(Path.of("/proc/self/status"));
    }

    /** The side of a thread by its name (as in comm), or null for neither. */
    static Side side(String comm) {
        if (comm.startsWith("nvmeof-target-") || comm.equals("ceiling-server") || comm.equals("ceiling-reader")) {
            return Side.TARGET;
        }
        if (comm.startsWith("perf-") || comm.startsWith("nvme-") || comm.startsWith("nic-") || comm.startsWith("irq/")
                || comm.equals("ceiling-client") || comm.equals("ceiling-writer")) {
            return Side.HOST;
        }
        return null;
    }

    /** Whether {@code taskset} runs here; null when it does, else why not. */
    static String tasksetProblem() {
        try {
            Process p = new ProcessBuilder("taskset", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "taskset did not answer within " + TASKSET_TIMEOUT_SECONDS + " s";
            }
            return p.exitValue() == 0 ? null : "taskset -p failed (exit " + p.exitValue() + "): " + out;
        } catch (IOException e) {
            return "taskset is not installed (util-linux): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for taskset";
        }
    }

    /** Whether {@code placements} can be pinned here; null when they can, else why not (taskset, CPUs). */
    static String placementProblem(java.util.Collection<SuitePlacement> placements) {
        if (placements.stream().noneMatch(SuitePlacement::pinned)) {
            return null;
        }
        String problem = tasksetProblem();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (problem == null && cpus < 2 && placements.contains(SuitePlacement.SPLIT)) {
            problem = "split needs 2 CPUs, this JVM has " + cpus;
        }
        return problem;
    }

    /** Pins every thread of either side that exists now to its CPU at {@code placement}; nothing when unpinned. */
    synchronized int pin(SuitePlacement placement) {
        if (!placement.pinned()) {
            return 0;
        }
        int moved = 0;
        for (Map.Entry<String, String> task : tasks().entrySet()) {
            Side side = side(task.getValue());
            if (side == null) {
                continue;
            }
            String cpu = Integer.toString(placement.cpu(side));
            if (move(task.getKey(), task.getValue(), cpu)) {
                pinnedNow.put(task.getKey(), task.getValue());
                record.computeIfAbsent(placement.option() + " " + cpu, k -> new TreeSet<>()).add(task.getValue());
                moved++;
            }
        }
        return moved;
    }

    /**
     * Waits until a thread of each name (prefix) exists, for 2 s at most (a thread just started may not carry its
     * name yet), then pins as {@link #pin}.
     *
     * @throws PinningException when one never appears
     */
    int pinExpecting(SuitePlacement placement, String... names) {
        if (!placement.pinned()) {
            return 0;
        }
        for (int i = 0; !allExist(names); i++) {
            if (i == 400) {
                throw new PinningException("no thread named " + String.join(" or ", names) + " to pin; threads: "
                        + tasks().values());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return pin(placement);
    }

    private static boolean allExist(String... names) {
        var present = tasks().values();
        for (String name : names) {
            if (present.stream().noneMatch(comm -> comm.startsWith(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pins the calling thread to the host side's CPU: threads it starts from now on inherit that affinity (Linux
     * copies it to a new thread), so the perf engine's job threads are born there. Undone by {@link #unpin}.
     */
    synchronized void pinCallerToHostSide(SuitePlacement placement) {
        if (!placement.pinned()) {
            return;
        }
        String tid = currentTid();
        String comm = Thread.currentThread().getName();
        if (move(tid, comm, Integer.toString(placement.hostCpu))) {
            pinnedNow.put(tid, comm);
        }
    }

    /** This thread's id in the kernel, from {@code /proc/thread-self} ({@code <pid>/task/<tid>}). */
    static String currentTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            throw new PinningException("cannot tell this thread's id from /proc/thread-self: " + e.getMessage());
        }
    }

    /** Moves every thread pinned since the last call back to this process's CPUs at the start. */
    synchronized void unpin() {
        for (Map.Entry<String, String> t : pinnedNow.entrySet()) {
            move(t.getKey(), t.getValue(), restoreCpus);
        }
        pinnedNow.clear();
    }

    String restoreCpus() {
        return restoreCpus;
    }

    /** "placement cpu" -> thread names pinned there during the run. */
    synchronized Map<String, Set<String>> record() {
        return new LinkedHashMap<>(record);
    }

    /** @return false when the thread ended meanwhile (nothing to pin) */
    private static boolean move(String tid, String comm, String cpus) {
        Path status = TASKS.resolve(tid).resolve("status");
        if (cpus.equals(allowedCpus(status))) {
            return true;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-p", "-c", cpus, tid).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PinningException("taskset -p -c " + cpus + " " + tid + " did not end");
            }
            String now = allowedCpus(status);
            if (now == null) {
                return false; // the thread ended: nothing ran there
            }
            if (!cpus.equals(now)) {
                throw new PinningException("taskset -p -c " + cpus + " " + tid + " (" + comm + ") exit "
                        + p.exitValue() + ", Cpus_allowed_list is " + now + ": " + out);
            }
            return true;
        } catch (IOException e) {
            throw new PinningException("taskset could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PinningException("interrupted while pinning " + comm);
        }
    }

    /** tid -> comm of this process's threads now. */
    static Map<String, String> tasks() {
        Map<String, String> tasks = new LinkedHashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
            for (Path task : dir) {
                try {
                    tasks.put(task.getFileName().toString(), Files.readString(task.resolve("comm")).trim());
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new PinningException("cannot list " + TASKS + ": " + e.getMessage());
        }
        return tasks;
    }

    /** Cpus_allowed_list of a {@code /proc/.../status}, null when it is gone. */
    static String allowedCpus(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException gone) {
            return null;
        }
        return null;
    }
}
