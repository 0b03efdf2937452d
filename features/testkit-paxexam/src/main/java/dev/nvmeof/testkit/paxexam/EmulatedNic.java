package dev.nvmeof.testkit.paxexam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One emulated NIC function as ConfigAdmin declares it (factory PID {@value NvmeofOptions#NIC_FUNCTION_PID}): PCI ids,
 * serial, slot, and the same knobs as the README's table. Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * EmulatedNic.of(0x5A17, 0x0300, "Z0001").withAddresses("p1p1 127.0.0.2/24").withHardwareVectors(4)
 * }</pre>
 *
 * <p>Unset knobs keep the NIC component's defaults. Addresses are {@code "<port> <address>/<prefix>"}, as
 * {@code ip addr add <address>/<prefix> dev <port>}; ports are named {@code p<slot>p1, p<slot>p2, ...}.
 */
public final class EmulatedNic {
    private final Map<String, Object> properties;

    private EmulatedNic(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** A function of these PCI ids and this serial (unique per function), one port, no address yet. */
    public static EmulatedNic of(int vendorId, int deviceId, String serial) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("vendor.id", vendorId);
        properties.put("device.id", deviceId);
        properties.put("serial", serial);
        return new EmulatedNic(properties);
    }

    /** PCI slot: the ports are {@code p<slot>p1..}; give functions of one test different slots. */
    public EmulatedNic withSlot(int slot) {
        return with("slot", slot);
    }

    public EmulatedNic withPorts(int ports) {
        return with("ports", ports);
    }

    /** Each {@code "<port> <address>/<prefix>"}, e.g. {@code "p1p1 127.0.0.2/24"}. */
    public EmulatedNic withAddresses(String... addresses) {
        return with("addresses", addresses.clone());
    }

    public EmulatedNic withLinkSpeedMbps(long mbps) {
        return with("link.speed.mbps", mbps);
    }

    public EmulatedNic withHardwareVectors(int vectors) {
        return with("hardware.vectors", vectors);
    }

    public EmulatedNic withMaxIoSize(int bytes) {
        return with("max.io.size", bytes);
    }

    public EmulatedNic withMaxSegments(int segments) {
        return with("max.segments", segments);
    }

    public EmulatedNic withPolling(boolean polling) {
        return with("polling", polling);
    }

    /** The function's serial, which its NicFunction service and a kit driver's {@code nic.serial} carry. */
    public String serial() {
        return (String) properties.get("serial");
    }

    /** The configuration's properties, as ConfigAdmin gets them (arrays copied). */
    public Map<String, Object> properties() {
        Map<String, Object> copy = new LinkedHashMap<>(properties);
        copy.replaceAll((key, value) -> value instanceof String[] array ? array.clone() : value);
        return copy;
    }

    private EmulatedNic with(String key, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(properties);
        changed.put(key, value);
        return new EmulatedNic(changed);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("EmulatedNic");
        properties.forEach((key, value) -> text.append(' ').append(key).append('=')
                .append(value instanceof String[] array ? List.of(array).toString() : String.valueOf(value)));
        return text.toString();
    }
}
