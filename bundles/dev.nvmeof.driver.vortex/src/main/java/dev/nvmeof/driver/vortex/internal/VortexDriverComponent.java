package dev.nvmeof.driver.vortex.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.nvmeof.driver.kit.DriverRegistrations;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.nic.emulated.NicFunction;

/**
 * The Vortex driver: probes every {@link NicFunction} service with Vortex's PCI ids (1f7a:0200) and registers one
 * {@code OffloadDriver} per function while it is there. Vortex devices poll ({@code nr_poll_queues}) and do not
 * honour {@code tos}.
 */
@Component(service = {}, immediate = true)
public final class VortexDriverComponent {
    static final int VENDOR_ID = 0x1F7A;
    static final int DEVICE_ID = 0x0200;
    /** The probe: {@link VendorProfile#probeFilter()} of {@link #PROFILE}, as a constant for the annotation. */
    static final String PROBE = "(&(" + VendorProfile.VENDOR_ID_PROPERTY + "=" + VENDOR_ID + ")("
            + VendorProfile.DEVICE_ID_PROPERTY + "=" + DEVICE_ID + "))";
    public static final VendorProfile PROFILE = VendorProfile.of("vortex", VENDOR_ID, DEVICE_ID, "nr_poll_queues");

    private final DriverRegistrations registrations;

    @Activate
    public VortexDriverComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.registrations = new DriverRegistrations(context, PROFILE, log::info);
    }

    @Reference(service = NicFunction.class, target = PROBE, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNic(NicFunction nic) {
        registrations.add(nic);
    }

    void unbindNic(NicFunction nic) {
        registrations.remove(nic);
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }
}
