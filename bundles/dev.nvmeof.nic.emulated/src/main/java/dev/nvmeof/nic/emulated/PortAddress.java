package dev.nvmeof.nic.emulated;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address on a port with its prefix length, as {@code ip addr add 127.0.0.2/24 dev p1p1} sets it.
 *
 * @param address      the address the port's sockets bind to
 * @param prefixLength the length of the subnet prefix the port reaches directly
 */
public record PortAddress(InetAddress address, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public PortAddress {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress() + " must be 0.." + max
                    + ", was " + prefixLength);
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX} ({@code 127.0.0.2/24}, {@code ::1/128}); a literal address only, never a host
     * name (no resolver is asked).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code cidr}
     */
    public static PortAddress parse(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("no address given (expected ADDRESS/PREFIX, e.g. 127.0.0.2/24)");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length (expected ADDRESS/PREFIX, e.g."
                    + " 127.0.0.2/24)");
        }
        String host = cidr.substring(0, slash);
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' in '" + cidr + "' is not a literal IPv4 or IPv6"
                    + " address");
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + host + "' in '" + cidr + "' has an octet above 255");
                }
            }
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix length in '" + cidr + "' is not a number");
        }
        try {
            return new PortAddress(InetAddress.getByName(host), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' in '" + cidr + "' is not a valid address", e);
        }
    }

    /** Whether {@code target} lies in this address's subnet (same family, same first {@link #prefixLength} bits). */
    public boolean covers(InetAddress target) {
        byte[] a = address.getAddress();
        byte[] b = target.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = prefixLength;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
