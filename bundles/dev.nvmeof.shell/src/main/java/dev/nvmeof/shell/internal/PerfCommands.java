package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.perf.Completions;
import dev.nvmeof.perf.Perf;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfProgress;
import dev.nvmeof.perf.PerfResult;
import dev.nvmeof.perf.Rw;

/**
 * {@code nvme perf}: the perf engine on a namespace with fio's option names ({@code --rw randread --bs 4k
 * --iodepth 32 --numjobs 1 --runtime 10}), a fio-like report or {@code -o json}. On a terminal a progress line is
 * rewritten once a second; Ctrl-C stops the run and reports what ran.
 */
public final class PerfCommands {
    private final NvmeHost host;
    private final boolean terminal;

    /** @param terminal whether the console is a terminal (a live progress line), not a script's pipe */
    public PerfCommands(NvmeHost host, boolean terminal) {
        this.host = host;
        this.terminal = terminal;
    }

    public void addTo(CommandWord nvme) {
        nvme.add(new Subcommand("perf", "measure I/O on a namespace (fio's options; IOPS, latency, CPU per I/O)",
                new Args.Spec("nvme perf")
                        .value("rw", (char) 0, "randread, randwrite, randrw, read, write or rw (default randread)")
                        .value("bs", (char) 0, "bytes per I/O, e.g. 4k (default 4k)")
                        .value("iodepth", (char) 0, "I/Os in flight per job (default 1)")
                        .value("numjobs", (char) 0, "jobs: threads with their own requests (default 1)")
                        .value("runtime", (char) 0, "measured time: 10, 10s, 500ms, 2m (default 10 s)")
                        .value("ramp_time", (char) 0, "time before measuring, not counted (default 0)")
                        .value("number_ios", (char) 0, "stop each job after this many I/Os")
                        .value("rate_iops", (char) 0, "I/Os per second per job, on a schedule (default: as fast as"
                                + " it goes)")
                        .value("rwmixread", (char) 0, "reads in percent of a mix (default 50)")
                        .value("completions", (char) 0, "inline: the completion callback issues the next I/O"
                                + " (SPDK perf's way, the default); thread: the job thread reaps and reissues (fio's"
                                + " way; always with --rate_iops)")
                        .value("size", (char) 0, "the region from LBA 0, e.g. 1g (default: the namespace)")
                        .flag("verify", (char) 0, "write a pattern first and check a sample of reads")
                        .value("output-format", 'o', "normal or json"),
                this::perf));
    }

    private void perf(Args args, PrintStream out) {
        boolean json = args.json();
        PerfOptions options = options(args); // bad options are named before the device is looked up
        NvmeNamespace ns = new Devices(host).target("nvme perf", args.positional()).requireNamespace("nvme perf");
        Consumer<PerfProgress> progress = terminal && !json ? p -> out.printf("\r%-78s", line(p)) : null;
        PerfResult result = Perf.run(ns.device(), options, progress);
        if (progress != null) {
            out.printf("\r%-78s\r", "");
        }
        out.print(json ? Json.write(PerfReport.json(result)) + "\n" : PerfReport.text(result));
    }

    static PerfOptions options(Args args) {
        PerfOptions o = PerfOptions.defaults().withRw(Rw.of(args.value("rw", "randread")));
        if (args.has("rwmixread")) {
            o = o.withReadPercent((int) args.number("rwmixread", 50));
        }
        long bs = Units.size(args.value("bs", "4k"), "nvme perf: '--bs'");
        if (bs > PerfOptions.MAX_BLOCK_SIZE) {
            throw ShellException.usage("nvme perf: '--bs' " + args.value("bs") + " is more than "
                    + PerfOptions.MAX_BLOCK_SIZE);
        }
        long count = args.number("number_ios", 0);
        Duration runtime = args.has("runtime") ? time(args.value("runtime"), "--runtime")
                : count > 0 ? Duration.ZERO : Duration.ofSeconds(10);
        return o.withBlockSize((int) bs).withIoDepth(small(args, "iodepth", 1)).withJobs(small(args, "numjobs", 1))
                .withRuntime(runtime).withIoCount(count)
                .withRampTime(args.has("ramp_time") ? time(args.value("ramp_time"), "--ramp_time") : Duration.ZERO)
                .withSize(args.has("size") ? Units.size(args.value("size"), "nvme perf: '--size'") : 0)
                .withVerify(args.has("verify")).withRateIops(args.number("rate_iops", 0))
                .withCompletions(completions(args.value("completions", "inline")));
    }

    private static Completions completions(String name) {
        try {
            return Completions.of(name);
        } catch (IllegalArgumentException e) {
            throw ShellException.usage("nvme perf: '--completions' " + e.getMessage().replace("completions ", ""));
        }
    }

    private static int small(Args args, String name, int fallback) {
        long value = args.number(name, fallback);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)); // the engine says the range
    }

    /** fio's time: seconds by default, or with {@code ms}, {@code s}, {@code m} or {@code h}. */
    static Duration time(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String what = "nvme perf: '" + option + "'";
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Units.number(t.substring(0, t.length() - 2), what));
        }
        long unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        if (t.endsWith("h") || t.endsWith("m") || t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        long value = Units.number(t, what);
        if (value < 0 || value > Long.MAX_VALUE / unit / 1000) {
            throw ShellException.usage(what + ": '" + text + "' is out of range");
        }
        return Duration.ofSeconds(value * unit);
    }

    private static String line(PerfProgress p) {
        String planned = p.plannedSeconds() < 86_400 ? String.format("/%.0f", p.plannedSeconds()) : "";
        return String.format("perf: [%s] %.0f%s s  %s IOPS  %.1f MiB/s  errors %d", p.ramping() ? "ramp" : "run",
                p.elapsedSeconds(), planned, PerfReport.si(p.iops()), p.mibPerSecond(), p.errors());
    }
}
