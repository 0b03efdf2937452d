package dev.nvmeof.shell.internal;

import java.nio.file.Files;

/**
 * Not a test: {@code nvme perf} by hand in one JVM (our target, the host over {@code tcp} and {@code tcp_offload},
 * {@link ShellFixture}'s 8 MiB RAM namespace), 4 KiB random reads at QD1 and QD32, each transport in turn.
 *
 * <pre>
 * mvn -pl bundles/dev.nvmeof.shell dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java -cp bundles/dev.nvmeof.shell/target/test-classes:bundles/dev.nvmeof.shell/target/classes:$(cat cp.txt) \
 *     dev.nvmeof.shell.internal.PerfByHand [seconds]
 * </pre>
 */
public final class PerfByHand {
    private PerfByHand() {
    }

    public static void main(String[] args) throws Exception {
        String seconds = args.length > 0 ? args[0] : "5";
        try (ShellFixture shell = new ShellFixture(Files.createTempDirectory("perf"))) {
            for (String transport : new String[] {"tcp", "tcp_offload"}) {
                shell.run(shell.connect(transport));
                for (int depth : new int[] {1, 32}) {
                    String line = "nvme perf /dev/nvme0n1 --rw randread --bs 4k --iodepth " + depth
                            + " --runtime " + seconds + " --ramp_time 1";
                    System.out.println("# " + transport + ": " + line);
                    System.out.print(shell.run(line));
                }
                shell.run("nvme disconnect-all");
            }
        }
    }
}
