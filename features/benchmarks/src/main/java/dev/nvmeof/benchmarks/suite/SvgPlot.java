package dev.nvmeof.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.nvmeof.benchmarks.suite.BenchmarkSuite.Run;

/**
 * The report's plot, SVG written by hand: per placement one panel per figure (4 KiB IOPS, 4 KiB p99 latency, 128 KiB
 * MiB/s), in each a group of two bars per configuration, {@code tcp} and {@code tcp_offload}, medians of the rounds.
 */
final class SvgPlot {
    private static final int WIDTH = 960;
    private static final int PANEL = 300;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int PLOT_HEIGHT = 180;
    private static final String TCP_COLOR = "#4C72B0";
    private static final String OFFLOAD_COLOR = "#DD8452";

    /** One configuration's pair of bars. */
    private record Group(String label, double tcp, double offload) {
    }

    private SvgPlot() {
    }

    static String render(Report report) {
        List<String> panels = new ArrayList<>();
        for (SuitePlacement p : report.placements()) {
            String at = p.option() + ", ";
            StringBuilder ceilings = new StringBuilder("batched ceiling:");
            for (int depth : report.ceilingDepths(p)) {
                ceilings.append(String.format(Locale.ROOT, " QD%d %,.0f", depth,
                        report.medianCeiling(p, m -> m.batched(depth).perSecond())));
            }
            ceilings.append(" round trips/s");
            panels.add(panel(panels.size(), at + "a: 4 KiB random read IOPS (" + ceilings + ")",
                    groups(report, p, 'a', Run::iops)));
            panels.add(panel(panels.size(), String.format(Locale.ROOT, "%sd/a: 4 KiB p99 latency, us (ceiling QD1"
                    + " p99 %.1f us)", at, report.medianCeiling(p, m -> m.qd1().p99() / 1e3)),
                    groups(report, p, 'a', r -> r.p99() / 1e3)));
            List<Group> seq = groups(report, p, 'b', Run::mibPerSecond);
            if (!seq.isEmpty()) {
                panels.add(panel(panels.size(), String.format(Locale.ROOT, "%sb: 128 KiB sequential MiB/s (stream"
                        + " ceiling %,.0f MiB/s)", at, report.medianCeiling(p, m -> m.stream().gbPerSecond()) * 1e9
                                / (1 << 20)), seq));
            }
        }
        StringBuilder svg = new StringBuilder();
        int height = panels.size() * PANEL + 30;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" ")
                .append("font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        legend(svg, height - 18);
        panels.forEach(svg::append);
        return svg.append("</svg>\n").toString();
    }

    private static List<Group> groups(Report report, SuitePlacement p, char bench, ToDoubleFunction<Run> figure) {
        List<Group> groups = new ArrayList<>();
        for (Variant tcp : report.variants(bench, Variant.TCP)) {
            groups.add(new Group(tcp.config(), report.median(p, tcp, figure),
                    report.median(p, tcp.on(Variant.OFFLOAD), figure)));
        }
        return groups;
    }

    private static String panel(int index, String title, List<Group> groups) {
        int y0 = index * PANEL;
        int baseline = y0 + TOP + PLOT_HEIGHT;
        double max = groups.stream().mapToDouble(g -> Math.max(g.tcp, g.offload)).filter(Double::isFinite)
                .max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        StringBuilder s = new StringBuilder();
        s.append(text(LEFT, y0 + 22, "start", "font-size=\"13\" font-weight=\"bold\"", title));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                LEFT, baseline, WIDTH - 20, baseline));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            int y = baseline - (int) Math.round(PLOT_HEIGHT * tick / 4.0);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n",
                    LEFT, y, WIDTH - 20, y));
            s.append(text(LEFT - 6, y + 4, "end", "", String.format(Locale.ROOT, "%,.0f", value)));
        }
        double slot = (WIDTH - 20 - LEFT) / (double) Math.max(1, groups.size());
        double bar = Math.min(40, slot * 0.35);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            double x = LEFT + i * slot + slot / 2 - bar;
            bar(s, x, bar, baseline, g.tcp, max, TCP_COLOR);
            bar(s, x + bar, bar, baseline, g.offload, max, OFFLOAD_COLOR);
            s.append(text((int) Math.round(LEFT + i * slot + slot / 2), baseline + 16, "middle", "font-size=\"9\"",
                    g.label));
        }
        return s.toString();
    }

    private static void bar(StringBuilder s, double x, double width, int baseline, double value, double max,
            String color) {
        double v = Double.isFinite(value) ? Math.max(0, value) : 0;
        double h = PLOT_HEIGHT * v / max;
        s.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                x, baseline - h, width - 2, h, color));
        s.append(text((int) Math.round(x + width / 2), (int) Math.round(baseline - h - 3), "middle",
                "font-size=\"9\"", String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.1f", v)));
    }

    private static void legend(StringBuilder s, int y) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                LEFT, y - 10, TCP_COLOR)).append(text(LEFT + 16, y, "start", "", "tcp"));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                LEFT + 60, y - 10, OFFLOAD_COLOR)).append(text(LEFT + 76, y, "start", "",
                        "tcp_offload (emulated NIC + NicOffloadDriver)   medians of the rounds"));
    }

    private static String text(int x, int y, String anchor, String attributes, String content) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" " + attributes + ">"
                + escape(content) + "</text>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
