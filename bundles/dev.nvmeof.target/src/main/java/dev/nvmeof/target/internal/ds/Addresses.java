package dev.nvmeof.target.internal.ds;

import java.net.InetSocketAddress;
import java.util.Locale;

/** Parsing of configuration values: {@code host:port} addresses and sizes with K/M/G/T suffixes. */
final class Addresses {
    private Addresses() {
    }

    static InetSocketAddress parse(String address) {
        String s = address.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("listen address must be host:port, was '" + address + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen address has a bad port: '" + address + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port out of range: '" + address + "'");
        }
        return new InetSocketAddress(host, port);
    }

    static long parseSize(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'K': unit = 1L << 10; break;
            case 'M': unit = 1L << 20; break;
            case 'G': unit = 1L << 30; break;
            case 'T': unit = 1L << 40; break;
            default: break;
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size '" + size + "': a number with an optional K, M, G or T");
        }
    }
}
