package dev.nvmeof.target;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The textual forms of the target's configuration values, shared by every way of configuring it (ConfigAdmin, the
 * appliance's command line and file): listen addresses and sizes. Errors are {@link IllegalArgumentException}s whose
 * message says what was wrong; callers prefix the option's name.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}, port 0..65535; the host is resolved now. */
    public static InetSocketAddress address(String value) {
        String s = value.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, was '" + value + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("write an IPv6 address as [ADDR]:PORT, was '" + value + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        }
        return address;
    }

    /** Bytes with an optional binary suffix K, M, G or T (also KiB/KB, case-insensitive); positive. */
    public static long size(String value) {
        String s = value.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size (like 256M, 1G, 4096): '" + value + "'");
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size must be positive and below 8 EiB, was '" + value + "'");
        }
        return n << shift;
    }
}
