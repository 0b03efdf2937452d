package dev.nvmeof.driver.zenith.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.Port;
import dev.nvmeof.nic.emulated.Route;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadLimits;

/**
 * The {@link OffloadDriver} of one Zenith device (an emulated {@link NicFunction} with Zenith's PCI ids), named
 * {@code zenith-<serial>}. Thread-safe: the ULP calls it from several controllers at once; the only mutable state is
 * two atomic counts.
 *
 * <ul>
 * <li><b>Claims</b> follow the device's routing table: the best route to the target over its ports whose link is up
 * (Linux {@code claim_dev} asks the paired net device the same). No route, no claim; the claim states the route's
 * local address and prefix length, the link speed, the free hardware vectors and the open queues: facts the ULP
 * ranks, never a score.</li>
 * <li><b>Options</b>: Zenith honours the generic fabrics options and {@link #ALLOWED} (digests are done by the
 * card). It does not bind to a given {@code host_traddr} or {@code host_iface}, so it does not allow them: a connect
 * asking for them goes to a device that does, or is refused naming Zenith.</li>
 * <li><b>Vectors</b>: the admin queue takes none; each I/O queue takes one, and is refused when none is free.</li>
 * </ul>
 */
final class ZenithDriver implements OffloadDriver {
    /** Beyond the generic options; {@code traddr} is also required. */
    static final Set<String> ALLOWED = Set.of("traddr", "trsvcid", "hdr_digest", "data_digest", "reconnect_delay",
            "ctrl_loss_tmo", "nr_write_queues");

    private final NicFunction nic;
    private final String deviceName;
    private final OffloadLimits limits;
    private final OptionPolicy policy;
    private final Set<String> honoured;
    private final AtomicInteger vectorsInUse = new AtomicInteger();
    private final AtomicInteger openQueues = new AtomicInteger();

    ZenithDriver(NicFunction nic) {
        this.nic = nic;
        this.deviceName = "zenith-" + nic.capabilities().serial();
        // Zenith queues run on interrupts only: it never offers polled queues, whatever the card could do.
        this.limits = new OffloadLimits(nic.capabilities().maxIoSize(), nic.capabilities().maxSegments(),
                nic.capabilities().hardwareVectors(), false);
        this.policy = new OptionPolicy(deviceName, ALLOWED, Set.of("traddr"));
        Set<String> all = new LinkedHashSet<>(OptionPolicy.GENERIC_REQUIRED);
        all.addAll(OptionPolicy.GENERIC_ALLOWED);
        all.addAll(ALLOWED);
        this.honoured = Set.copyOf(all);
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

    @Override
    public Optional<OffloadClaim> claimDev(ConnectRequest request) {
        return nic.netDevice().route(request.target().getAddress()).map(route -> {
            Set<String> honouredHere = new LinkedHashSet<>(request.requested());
            honouredHere.retainAll(honoured);
            return new OffloadClaim(deviceName, route.localAddress(), route.prefixLength(),
                    nic.capabilities().linkSpeedMbps() * 1_000_000L, freeVectors(), openQueues.get(), honouredHere);
        });
    }

    @Override
    public String declineReason(ConnectRequest request) {
        String down = nic.netDevice().ports().stream().filter(p -> !p.linkUp()).map(Port::name)
                .collect(Collectors.joining(", "));
        return "no port of " + deviceName + " with its link up routes to "
                + request.target().getAddress().getHostAddress() + (down.isEmpty() ? "" : " (link down: " + down + ")");
    }

    @Override
    public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException {
        InetSocketAddress target = request.target();
        Route route = nic.netDevice().route(target.getAddress()).orElseThrow(() -> NvmeTransportException
                .unreachable(target.getAddress().getHostAddress() + ":" + target.getPort(),
                        new IOException(deviceName + " has no route to it any more")));
        return new ZenithController(this, nic, route.port(), target);
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
        openQueues.incrementAndGet();
    }

    void queueClosed() {
        openQueues.decrementAndGet();
    }

    private int freeVectors() {
        return Math.max(0, limits.hardwareVectors() - vectorsInUse.get());
    }

    @Override
    public String toString() {
        return deviceName + " " + limits;
    }
}
