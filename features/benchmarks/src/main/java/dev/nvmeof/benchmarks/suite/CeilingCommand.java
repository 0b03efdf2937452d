package dev.nvmeof.benchmarks.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batched ceiling alone, for scripts that measure our stack out of process (several host appliances on one
 * target appliance: {@code scripts/several-hosts.sh}) and need the same run's ceiling at the same placement. Its two
 * threads are pinned by {@link ThreadPinning} as the suite pins them, and moved back after.
 *
 * <pre>
 * java -cp features/benchmarks/target/benchmarks.jar dev.nvmeof.benchmarks.suite.CeilingCommand \
 *     --depth 64 --seconds 10 --ramp 2 --placement split
 * </pre>
 * Prints one line: {@code ceiling QD64 split: 1130000 round trips/s, p50 41.2 us}. Exit 2 on a bad option, 1 when the
 * run fails (taskset missing, a pinning that did not take).
 */
public final class CeilingCommand {
    private static final Set<String> OPTIONS = Set.of("--depth", "--seconds", "--ramp", "--placement");

    private CeilingCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        int depth;
        double seconds;
        double ramp;
        SuitePlacement placement;
        try {
            Map<String, String> o = options(args);
            double depthOption = number(o, "--depth", "32");
            depth = (int) depthOption;
            seconds = number(o, "--seconds", "10");
            ramp = number(o, "--ramp", "2");
            placement = SuitePlacement.of(o.getOrDefault("--placement", "unpinned"));
            boolean depthOk = depth == depthOption && depth >= 1 && depth <= 1024;
            if (!depthOk || !(seconds > 0 && seconds <= 3600) || !(ramp >= 0 && ramp <= 3600)) {
                throw new IllegalArgumentException("--depth takes 1..1024, --seconds more than 0, --ramp 0 or more "
                        + "(both at most 3600)");
            }
        } catch (IllegalArgumentException e) {
            err.println("ceiling: " + e.getMessage());
            err.println("usage: CeilingCommand [--depth 32] [--seconds 10] [--ramp 2] "
                    + "[--placement colocated|split|unpinned]");
            return 2;
        }
        String problem = ThreadPinning.placementProblem(List.of(placement));
        if (problem != null) {
            err.println("ceiling: cannot pin (" + problem + "); use --placement unpinned");
            return 1;
        }
        try {
            BatchedCeiling.Result r = BatchedCeiling.runPinned(depth, (long) (ramp * 1e9), (long) (seconds * 1e9),
                    true, new ThreadPinning(), placement);
            out.printf("ceiling QD%d %s: %.0f round trips/s, p50 %.1f us%n", depth, placement.option(),
                    r.perSecond(), r.p50() / 1000.0);
            return 0;
        } catch (IOException | ThreadPinning.PinningException e) {
            err.println("ceiling: " + e.getMessage());
            return 1;
        }
    }

    private static double number(Map<String, String> o, String option, String otherwise) {
        String value = o.getOrDefault(option, otherwise);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not " + value);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            o.put(args[i], args[i + 1]);
        }
        return o;
    }
}
