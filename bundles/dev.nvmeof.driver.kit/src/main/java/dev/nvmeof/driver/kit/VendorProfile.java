package dev.nvmeof.driver.kit;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.nic.emulated.NicCapabilities;

/**
 * What sets one vendor's driver apart on the emulated NIC: its name (the prefix of its device names and its
 * {@code offload.vendor} service property), the PCI ids it probes, and which of the {@link #OPTIONAL_OPTIONS} it
 * honours on top of the {@link #BASE_OPTIONS} every kit driver carries.
 *
 * @param vendor   e.g. {@code acme}
 * @param vendorId PCI vendor id (16 bits)
 * @param deviceId PCI device id (16 bits)
 * @param options  the optional fabrics options it honours (kernel names), a subset of {@link #OPTIONAL_OPTIONS}
 */
public record VendorProfile(String vendor, int vendorId, int deviceId, Set<String> options) {

    /** Options any driver of the emulated NIC honours: the generic ones and those the engine does for everyone. */
    public static final Set<String> BASE_OPTIONS;

    /** Options a vendor may or may not honour: {@code tos} (the engine sets IP_TOS), {@code nr_poll_queues}. */
    public static final Set<String> OPTIONAL_OPTIONS = Set.of("tos", "nr_poll_queues");

    /** The PCI ids' service properties of a {@code NicFunction} service. */
    public static final String VENDOR_ID_PROPERTY = "nic.vendor.id";
    public static final String DEVICE_ID_PROPERTY = "nic.device.id";

    static {
        Set<String> base = new LinkedHashSet<>(OptionPolicy.GENERIC_REQUIRED);
        base.addAll(OptionPolicy.GENERIC_ALLOWED);
        base.addAll(Set.of("traddr", "trsvcid", "host_traddr", "host_iface", "hdr_digest", "data_digest",
                "reconnect_delay", "ctrl_loss_tmo", "nr_write_queues"));
        BASE_OPTIONS = Set.copyOf(base);
    }

    /**
     * @throws IllegalArgumentException for a blank vendor, ids beyond 16 bits or an option outside
     *                                  {@link #OPTIONAL_OPTIONS}
     */
    public VendorProfile {
        if (vendor == null || vendor.isBlank()) {
            throw new IllegalArgumentException("a vendor profile needs a vendor name");
        }
        if (vendorId < 0 || vendorId > 0xFFFF || deviceId < 0 || deviceId > 0xFFFF) {
            throw new IllegalArgumentException("PCI ids are 16-bit, were 0x" + Integer.toHexString(vendorId) + "/0x"
                    + Integer.toHexString(deviceId));
        }
        for (String option : Objects.requireNonNull(options, "options")) {
            if (!OPTIONAL_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("'" + option + "' is not an optional offload option (one of "
                        + OPTIONAL_OPTIONS + "; " + "every driver honours the base options)");
            }
        }
        options = Set.copyOf(options);
    }

    public static VendorProfile of(String vendor, int vendorId, int deviceId, String... options) {
        return new VendorProfile(vendor, vendorId, deviceId, new LinkedHashSet<>(Arrays.asList(options)));
    }

    /** Whether a NIC function is one of this vendor's devices (the PCI probe). */
    public boolean probes(NicCapabilities capabilities) {
        return capabilities.vendorId() == vendorId && capabilities.deviceId() == deviceId;
    }

    /** The DS target filter that selects this vendor's NIC functions, e.g. {@code (&(nic.vendor.id=6851)(...))}. */
    public String probeFilter() {
        return "(&(" + VENDOR_ID_PROPERTY + "=" + vendorId + ")(" + DEVICE_ID_PROPERTY + "=" + deviceId + "))";
    }

    /**
     * What a device of this vendor honours on {@code capabilities}: the base options, and the vendor's optional ones
     * the hardware can do ({@code nr_poll_queues} only on a NIC that polls).
     */
    public Set<String> honouredOn(NicCapabilities capabilities) {
        Set<String> honoured = new LinkedHashSet<>(BASE_OPTIONS);
        for (String option : options) {
            if (!option.equals("nr_poll_queues") || capabilities.polling()) {
                honoured.add(option);
            }
        }
        return Set.copyOf(honoured);
    }
}
