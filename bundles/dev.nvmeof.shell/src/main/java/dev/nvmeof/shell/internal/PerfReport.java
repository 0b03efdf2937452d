package dev.nvmeof.shell.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

import dev.nvmeof.perf.Completions;
import dev.nvmeof.perf.PerfOptions;
import dev.nvmeof.perf.PerfResult;

/** {@code nvme perf}'s report: fio's layout in text, and the same figures as JSON. */
final class PerfReport {
    private PerfReport() {
    }

    static String text(PerfResult r) {
        PerfOptions o = r.options();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%s: rw=%s%s, bs=%d, iodepth=%d, numjobs=%d, completions=%s%s%s%n",
                r.device(), o.rw().fioName(), o.rw().mixed() ? ", rwmixread=" + o.readPercent() : "", o.blockSize(),
                o.ioDepth(), o.jobs(), completions(o), o.verify() ? ", verify" : "", r.stopped() ? " (stopped)" : ""));
        direction(t, "read", r.read(), r.elapsedNanos(), o.readPercent() > 0);
        direction(t, "write", r.write(), r.elapsedNanos(), o.readPercent() < 100);
        t.append(String.format(Locale.ROOT, "  cpu per I/O (usec): host=%s, nic=%s, target=%s, jvm=%s%n",
                us(r.cpuMicrosPerIo(r.cpu().hostNanos())), us(r.cpuMicrosPerIo(r.cpu().nicEngineNanos())),
                us(r.cpuMicrosPerIo(r.cpu().targetNanos())), us(r.cpuMicrosPerIo(r.cpu().jvmNanos()))));
        t.append(String.format(Locale.ROOT, "  errors: %d (read %d, write %d)%n", r.errors(), r.read().errors(),
                r.write().errors()));
        if (o.verify()) {
            t.append(String.format(Locale.ROOT, "  verify: %d reads checked, %d wrong%n", r.verified(),
                    r.verifyErrors()));
        }
        if (r.firstError() != null) {
            t.append("  first error: ").append(r.firstError()).append('\n');
        }
        return t.toString();
    }

    private static void direction(StringBuilder t, String name, PerfResult.Direction d, long elapsed, boolean shown) {
        if (!shown) {
            return;
        }
        t.append(String.format(Locale.ROOT, "  %s: IOPS=%s, BW=%.1fMiB/s (%.1fMB/s)(%.1fMiB/%dmsec)%n", name,
                si(d.iops(elapsed)), d.mibPerSecond(elapsed), d.bytes() * 1e3 / Math.max(1, elapsed),
                d.bytes() / (double) (1 << 20), elapsed / 1_000_000));
        PerfResult.Latency l = d.latency();
        t.append(String.format(Locale.ROOT, "    lat (usec): p50=%s, p99=%s, p99.9=%s, max=%s, mean=%s%n",
                us(l.p50() / 1e3), us(l.p99() / 1e3), us(l.p999() / 1e3), us(l.max() / 1e3), us(l.mean() / 1e3)));
    }

    /** What the run used: a rate keeps completions on the job thread whatever was asked. */
    private static String completions(PerfOptions o) {
        return (o.completesInline() ? Completions.INLINE : Completions.THREAD).optionName();
    }

    static Map<String, Object> json(PerfResult r) {
        PerfOptions o = r.options();
        Map<String, Object> options = Json.object();
        options.put("rw", o.rw().fioName());
        options.put("rwmixread", o.readPercent());
        options.put("bs", o.blockSize());
        options.put("iodepth", o.ioDepth());
        options.put("numjobs", o.jobs());
        options.put("runtime_ms", o.runtime().toMillis());
        options.put("ramp_time_ms", o.rampTime().toMillis());
        options.put("number_ios", o.ioCount());
        options.put("size", o.sizeBytes());
        options.put("verify", o.verify());
        options.put("completions", completions(o));
        Map<String, Object> cpu = Json.object();
        cpu.put("host", number(r.cpuMicrosPerIo(r.cpu().hostNanos())));
        cpu.put("nic", number(r.cpuMicrosPerIo(r.cpu().nicEngineNanos())));
        cpu.put("target", number(r.cpuMicrosPerIo(r.cpu().targetNanos())));
        cpu.put("jvm", number(r.cpuMicrosPerIo(r.cpu().jvmNanos())));
        Map<String, Object> root = Json.object();
        root.put("device", r.device());
        root.put("options", options);
        root.put("elapsed_ns", r.elapsedNanos());
        root.put("stopped", r.stopped());
        root.put("iops", number(r.iops()));
        root.put("bw_mib_s", number(r.mibPerSecond()));
        root.put("read", direction(r.read(), r.elapsedNanos()));
        root.put("write", direction(r.write(), r.elapsedNanos()));
        root.put("errors", r.errors());
        root.put("verified", r.verified());
        root.put("verify_errors", r.verifyErrors());
        root.put("first_error", r.firstError());
        root.put("cpu_us_per_io", cpu);
        return root;
    }

    private static Map<String, Object> direction(PerfResult.Direction d, long elapsed) {
        Map<String, Object> lat = Json.object();
        lat.put("p50", d.latency().p50());
        lat.put("p99", d.latency().p99());
        lat.put("p99.9", d.latency().p999());
        lat.put("max", d.latency().max());
        lat.put("mean", number(d.latency().mean()));
        Map<String, Object> o = Json.object();
        o.put("ios", d.ios());
        o.put("errors", d.errors());
        o.put("bytes", d.bytes());
        o.put("iops", number(d.iops(elapsed)));
        o.put("bw_mib_s", number(d.mibPerSecond(elapsed)));
        o.put("lat_ns", lat);
        return o;
    }

    /** Two decimals; NaN (no I/O) as null, which JSON has and NaN it has not. */
    private static Object number(double value) {
        return Double.isNaN(value) ? null : BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    }

    private static String us(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value);
    }

    /** fio's short counts: 980, 30.7k, 150k, 1.23M. */
    static String si(double value) {
        if (value < 10_000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value < 1_000_000) {
            return String.format(Locale.ROOT, value < 100_000 ? "%.1fk" : "%.0fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }
}
