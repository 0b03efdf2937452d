package dev.nvmeof.driver.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.nic.emulated.NetDevice;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.Port;
import dev.nvmeof.nic.emulated.Route;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadLimits;

/**
 * The {@link OffloadDriver} of one emulated {@link NicFunction}, for the vendor a {@link VendorProfile} describes.
 * Named {@code <vendor>-<serial>}. Thread-safe: the vector and queue counts are atomic, everything else is fixed at
 * construction.
 *
 * <p><b>Claims.</b> The route to the target goes through the function's net device: through the port named by
 * {@code host_iface}, through the port carrying {@code host_traddr} (and only when that port's route to the target
 * uses that very address, since the engine binds to the route's address), or else the best route over all ports
 * whose link is up. No route, no claim. The claim states the route's local address and prefix length, the link speed,
 * the hardware vectors not taken by I/O queues, the queues open now, and which requested options it honours.
 *
 * <p><b>Queues.</b> One queue pair per queue. The admin queue takes no hardware vector; each I/O queue takes one and
 * is refused when none is free.
 */
public final class NicOffloadDriver implements OffloadDriver {
    private final VendorProfile profile;
    private final NicFunction nic;
    private final String deviceName;
    private final Set<String> honourable;
    private final OffloadLimits limits;
    private final OptionPolicy policy;
    private final AtomicInteger vectorsInUse = new AtomicInteger();
    private final AtomicInteger activeQueues = new AtomicInteger();

    /** @throws IllegalArgumentException when the function is not one of the profile's devices */
    public NicOffloadDriver(VendorProfile profile, NicFunction nic) {
        NicCapabilities capabilities = nic.capabilities();
        if (!profile.probes(capabilities)) {
            throw new IllegalArgumentException(String.format("NIC %s (%04x:%04x) is not a %s device (%04x:%04x)",
                    capabilities.serial(), capabilities.vendorId(), capabilities.deviceId(), profile.vendor(),
                    profile.vendorId(), profile.deviceId()));
        }
        this.profile = profile;
        this.nic = nic;
        this.deviceName = profile.vendor() + "-" + capabilities.serial();
        this.honourable = profile.honouredOn(capabilities);
        this.limits = new OffloadLimits(capabilities.maxIoSize(), capabilities.maxSegments(),
                capabilities.hardwareVectors(), honourable.contains("nr_poll_queues"));
        Set<String> allowed = new LinkedHashSet<>(honourable);
        allowed.removeAll(OptionPolicy.GENERIC_ALLOWED);
        allowed.removeAll(OptionPolicy.GENERIC_REQUIRED);
        this.policy = new OptionPolicy(deviceName, allowed, Set.of("traddr"));
    }

    public VendorProfile profile() {
        return profile;
    }

    public NicFunction nic() {
        return nic;
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public OffloadLimits limits() {
        return limits;
    }

    @Override
    public OptionPolicy optionPolicy() {
        return policy;
    }

    /** Hardware vectors no I/O queue holds. */
    public int freeHardwareVectors() {
        return Math.max(0, limits.hardwareVectors() - vectorsInUse.get());
    }

    /** Queues (admin and I/O) open on the device now. */
    public int activeQueues() {
        return activeQueues.get();
    }

    @Override
    public Optional<OffloadClaim> claimDev(ConnectRequest request) {
        return route(request).map(route -> {
            Set<String> honoured = new LinkedHashSet<>(request.requested());
            honoured.retainAll(honourable);
            return new OffloadClaim(deviceName, route.localAddress(), route.prefixLength(),
                    nic.capabilities().linkSpeedMbps() * 1_000_000L, freeHardwareVectors(), activeQueues(),
                    honoured);
        });
    }

    /** Says which of host_iface, host_traddr, the link or the subnets stopped {@link #route} from finding a way. */
    @Override
    public String declineReason(ConnectRequest request) {
        NetDevice device = nic.netDevice();
        String iface = request.hostIface();
        InetAddress from = request.hostAddress();
        if (iface != null && device.ports().stream().noneMatch(p -> p.name().equals(iface))) {
            return "no port named " + iface + " (ports: " + ports(device) + ")";
        }
        if (from != null && device.ports().stream().noneMatch(p -> carries(p, from))) {
            return "no port has the address " + from.getHostAddress() + " (ports: " + ports(device) + ")";
        }
        for (Port p : device.ports()) {
            if ((iface == null || p.name().equals(iface)) && (from == null || carries(p, from)) && !p.linkUp()) {
                return "link down on " + p.name();
            }
        }
        return "cannot reach " + request.target().getAddress().getHostAddress() + ": no subnet of "
                + (iface == null ? "its ports" : iface) + " covers it (ports: " + ports(device) + ")";
    }

    private static boolean carries(Port port, InetAddress address) {
        return port.addresses().stream().anyMatch(a -> a.address().equals(address));
    }

    /** {@code p1p1 127.0.0.2/24, p1p2 (no address)}. */
    private static String ports(NetDevice device) {
        StringBuilder text = new StringBuilder();
        for (Port p : device.ports()) {
            text.append(text.length() == 0 ? "" : ", ").append(p.name()).append(' ')
                    .append(p.addresses().isEmpty() ? "(no address)" : p.addresses().stream()
                            .map(Object::toString).collect(Collectors.joining(" ")))
                    .append(p.linkUp() ? "" : " (link down)");
        }
        return text.toString();
    }

    @Override
    public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException {
        InetSocketAddress target = request.target();
        Route route = route(request).orElseThrow(() -> NvmeTransportException.unreachable(
                target.getAddress().getHostAddress() + ":" + target.getPort(),
                new IOException(deviceName + " has no route to it any more")));
        // The ULP only picks a claim that honours every requested option, so a given tos is ours to carry.
        int tos = honourable.contains("tos") && request.options().isGiven("tos") ? request.options().tos() : -1;
        return new NicController(this, route.port(), target, tos);
    }

    /** The route this device would use for {@code request}, as the class comment describes. */
    Optional<Route> route(ConnectRequest request) {
        NetDevice device = nic.netDevice();
        InetAddress target = request.target().getAddress();
        String iface = request.hostIface();
        InetAddress from = request.hostAddress();
        if (iface == null && from == null) {
            return device.route(target);
        }
        Port port = null;
        for (Port p : device.ports()) {
            boolean named = iface == null || p.name().equals(iface);
            boolean carries = from == null || p.addresses().stream().anyMatch(a -> a.address().equals(from));
            if (named && carries) {
                port = p;
                break;
            }
        }
        if (port == null || !port.linkUp()) {
            return Optional.empty();
        }
        return device.route(port.name(), target).filter(r -> from == null || r.localAddress().equals(from));
    }

    /** Takes a hardware vector for I/O queue {@code qid}, or refuses when all are taken. */
    void takeVector(int qid) throws NvmeException {
        for (;;) {
            int used = vectorsInUse.get();
            if (used >= limits.hardwareVectors()) {
                throw NvmeTransportException.of(deviceName + ": all " + limits.hardwareVectors()
                        + " hardware vectors are in use, I/O queue " + qid + " refused", null, true, null);
            }
            if (vectorsInUse.compareAndSet(used, used + 1)) {
                return;
            }
        }
    }

    void releaseVector() {
        vectorsInUse.decrementAndGet();
    }

    void queueOpened() {
        activeQueues.incrementAndGet();
    }

    void queueClosed() {
        activeQueues.decrementAndGet();
    }

    @Override
    public String toString() {
        return deviceName + " " + limits;
    }
}
