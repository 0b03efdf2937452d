package dev.nvmeof.shell.internal;

import java.util.Locale;

/** Numbers and sizes as the commands read and print them. */
public final class Units {
    private Units() {
    }

    /** Decimal, or hex with {@code 0x}; {@code what} names the value in the error. */
    public static long number(String text, String what) {
        try {
            String t = text.trim();
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw ShellException.usage(what + ": '" + text + "' is not a number");
        }
    }

    /** A size with an optional binary suffix, as fio and nvme-cli take it: {@code 4k}, {@code 1M}, {@code 512}. */
    public static long size(String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> unit = 1;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long value = number(t, what);
        if (value < 0 || value > Long.MAX_VALUE / unit) {
            throw ShellException.usage(what + ": '" + text + "' is out of range");
        }
        return value * unit;
    }

    /** Like nvme list: decimal units, {@code 268.44 MB}. */
    public static String decimal(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
