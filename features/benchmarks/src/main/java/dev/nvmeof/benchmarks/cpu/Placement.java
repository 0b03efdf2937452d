package dev.nvmeof.benchmarks.cpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where this JVM's threads run, set from inside with {@code taskset -p -c <cpu> <tid>} per thread (Linux gives Java
 * threads their names, cut to 15 characters, in {@code /proc/self/task/<tid>/comm}). Reapplied before every round:
 * threads started since (JIT compiler threads come and go) are moved too.
 *
 * <ul>
 * <li>{@code none}: leave the affinity alone (as inherited, e.g. from a {@code taskset -c 1 java ...}).</li>
 * <li>{@code colocated}: every thread on the far CPU.</li>
 * <li>{@code split}: the far side (the target's loop {@code nvmeof-target-*} and the NIC engine {@code nic-*}) on the
 * far CPU, every other thread (host, load, JVM) on the host CPU.</li>
 * </ul>
 */
record Placement(String name, int hostCpu, int farCpu) {

    static Placement parse(String spec) {
        // none | colocated[:far] | split[:host,far]
        String[] parts = spec.split(":", 2);
        return switch (parts[0]) {
            case "none" -> new Placement("none", -1, -1);
            case "colocated" -> {
                int far = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                yield new Placement("colocated", far, far);
            }
            case "split" -> {
                String[] cpus = (parts.length > 1 ? parts[1] : "0,1").split(",");
                yield new Placement("split", Integer.parseInt(cpus[0]), Integer.parseInt(cpus[1]));
            }
            default -> throw new IllegalArgumentException("placement none, colocated[:cpu] or split[:host,far], not "
                    + spec);
        };
    }

    static boolean farSide(String threadName) {
        return threadName.startsWith("nvmeof-target") || threadName.startsWith("nic-");
    }

    /** @return how many threads were moved */
    int apply() throws IOException, InterruptedException {
        if (name.equals("none")) {
            return 0;
        }
        List<String[]> moves = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm;
                String allowed = null;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Cpus_allowed_list:")) {
                            allowed = line.substring(line.indexOf(':') + 1).trim();
                        }
                    }
                } catch (IOException ended) {
                    continue;
                }
                String want = String.valueOf(farSide(comm) ? farCpu : hostCpu);
                if (!want.equals(allowed)) {
                    moves.add(new String[] {want, task.getFileName().toString()});
                }
            }
        }
        for (String[] move : moves) {
            Process p = new ProcessBuilder("taskset", "-p", "-c", move[0], move[1]).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(); // a thread that ended meanwhile makes taskset fail: nothing to move
        }
        return moves.size();
    }

    String describe() {
        return switch (name) {
            case "none" -> "as inherited (no pinning by the harness)";
            case "colocated" -> "every thread on vCPU " + farCpu;
            default -> "host side (host, load, JVM threads) on vCPU " + hostCpu + "; target loop and NIC engine on vCPU "
                    + farCpu;
        };
    }
}
