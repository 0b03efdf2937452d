package dev.nvmeof.nic.emulated.internal.ds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.PortAddress;

/**
 * One NIC function's configuration, parsed from ConfigAdmin properties (plain Java, no OSGi). Numbers may come as
 * any {@link Number} or as a string, decimal or {@code 0x} hex (PCI ids are written in hex). Every error is an
 * {@link IllegalArgumentException} whose message starts with the property it is about.
 *
 * @param ports     how many ports the net device has ({@code p1p1 .. p1pN})
 * @param addresses what to set on the ports, like {@code ip addr add 127.0.0.2/24 dev p1p1}, in order
 */
record NicFunctionConfig(NicCapabilities capabilities, int ports, List<Assignment> addresses) {

    static final String VENDOR_ID = "vendor.id";
    static final String DEVICE_ID = "device.id";
    static final String SERIAL = "serial";
    static final String LINK_SPEED_MBPS = "link.speed.mbps";
    static final String HARDWARE_VECTORS = "hardware.vectors";
    static final String MAX_IO_SIZE = "max.io.size";
    static final String MAX_SEGMENTS = "max.segments";
    static final String POLLING = "polling";
    static final String PORTS = "ports";
    static final String ADDRESSES = "addresses";

    static final long DEFAULT_LINK_SPEED_MBPS = 25_000;
    static final int DEFAULT_HARDWARE_VECTORS = 8;
    static final int DEFAULT_MAX_IO_SIZE = 128 * 1024;
    static final int DEFAULT_MAX_SEGMENTS = 32;
    static final boolean DEFAULT_POLLING = true;
    static final int DEFAULT_PORTS = 1;
    /** Enough for a lab; a typo like 1000 would start a thousand ports. */
    static final int MAX_PORTS = 16;
    /** The net device's port names: {@code p1p1, p1p2, ...}. */
    static final String PORT_PREFIX = "p1p";

    /** One {@code ip addr add CIDR dev PORT}. */
    record Assignment(String port, String cidr) {
        @Override
        public String toString() {
            return port + " " + cidr;
        }
    }

    NicFunctionConfig {
        addresses = List.copyOf(addresses);
    }

    /** @throws IllegalArgumentException naming the property that is missing or wrong, and why */
    static NicFunctionConfig parse(Map<String, ?> properties) {
        int vendorId = (int) number(properties, VENDOR_ID, null, 0, 0xFFFF);
        int deviceId = (int) number(properties, DEVICE_ID, null, 0, 0xFFFF);
        Object serialValue = properties.get(SERIAL);
        if (serialValue == null || serialValue.toString().isBlank()) {
            throw new IllegalArgumentException(SERIAL + ": required, a serial number unique per NIC function");
        }
        String serial = serialValue.toString().trim();
        long speed = number(properties, LINK_SPEED_MBPS, DEFAULT_LINK_SPEED_MBPS, 1, Long.MAX_VALUE);
        int vectors = (int) number(properties, HARDWARE_VECTORS, (long) DEFAULT_HARDWARE_VECTORS, 1, 0xFFFF);
        int maxIoSize = (int) number(properties, MAX_IO_SIZE, (long) DEFAULT_MAX_IO_SIZE, 4096, Integer.MAX_VALUE);
        int maxSegments = (int) number(properties, MAX_SEGMENTS, (long) DEFAULT_MAX_SEGMENTS, 1, Integer.MAX_VALUE);
        boolean polling = bool(properties, POLLING, DEFAULT_POLLING);
        int ports = (int) number(properties, PORTS, (long) DEFAULT_PORTS, 1, MAX_PORTS);
        List<Assignment> addresses = addresses(properties.get(ADDRESSES), ports);
        return new NicFunctionConfig(new NicCapabilities(vendorId, deviceId, serial, speed, vectors, maxIoSize,
                maxSegments, polling), ports, addresses);
    }

    private static long number(Map<String, ?> properties, String key, Long fallback, long min, long max) {
        Object value = properties.get(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(key + ": required");
            }
            return fallback;
        }
        long parsed;
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof String s) {
            String text = s.trim();
            try {
                parsed = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                        : Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": not a number: '" + s + "'");
            }
        } else {
            throw new IllegalArgumentException(key + ": expected a whole number, was " + value.getClass().getName()
                    + " " + value);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(key + ": must be " + min + ".." + max + ", was " + value);
        }
        return parsed;
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key + ": expected true or false, was '" + value + "'");
    }

    /** {@code "p1p1 127.0.0.2/24"} each: as a String[], a collection, or one string. */
    private static List<Assignment> addresses(Object value, int ports) {
        List<String> entries = new ArrayList<>();
        if (value instanceof String s) {
            entries.add(s);
        } else if (value instanceof String[] array) {
            entries.addAll(List.of(array));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(e -> entries.add(String.valueOf(e)));
        } else if (value != null) {
            throw new IllegalArgumentException(ADDRESSES + ": expected strings like 'p1p1 127.0.0.2/24', was "
                    + value.getClass().getName());
        }
        List<Assignment> assignments = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            String where = ADDRESSES + "[" + i + "] '" + entries.get(i) + "': ";
            String[] parts = entry.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + "expected PORT ADDRESS/PREFIX, e.g. 'p1p1 127.0.0.2/24'");
            }
            String port = parts[0];
            if (!isPort(port, ports)) {
                throw new IllegalArgumentException(where + "no port " + port + " (ports: " + PORT_PREFIX + "1.."
                        + PORT_PREFIX + ports + ")");
            }
            try {
                PortAddress.parse(parts[1]);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + bad.getMessage(), bad);
            }
            assignments.add(new Assignment(port, parts[1]));
        }
        return assignments;
    }

    private static boolean isPort(String name, int ports) {
        if (!name.startsWith(PORT_PREFIX)) {
            return false;
        }
        try {
            int index = Integer.parseInt(name.substring(PORT_PREFIX.length()));
            return index >= 1 && index <= ports && name.equals(PORT_PREFIX + index);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
