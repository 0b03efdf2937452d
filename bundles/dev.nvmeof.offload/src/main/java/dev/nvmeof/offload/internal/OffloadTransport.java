package dev.nvmeof.offload.internal;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDeviceInfo;
import dev.nvmeof.spi.offload.OffloadDeviceInfo.OffloadQueueInfo;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import dev.nvmeof.offload.internal.RankingReport.Entry;
import dev.nvmeof.offload.internal.RankingReport.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tcp_offload} transport: on every (re)connect it asks each offload device to claim the connection,
 * ranks the claims ({@link ClaimRanking}) and sets the controller up on the winner; when the winner's
 * {@code setupCtrl} fails, on the next claim in rank order that honours every requested option.
 *
 * <p>Drivers come and go at any time ({@link #addDriver}/{@link #removeDriver}, thread-safe). {@link #removeDriver}
 * waits for the calls in progress on the driver (claim, setup), then drains and destroys the queues of its
 * controllers; when it returns the driver is never called again (the Linux contract for an unregistered device).
 * Plain Java; {@code dev.nvmeof.offload.internal.ds} wires it as a Declarative Services component.
 */
public final class OffloadTransport implements Transport {

    public static final String NAME = "tcp_offload";

    /**
     * What the transport allows before any device is asked: the options Linux's tcp_offload took, and the TLS ones so
     * that a refusal names each device that does not honour them (none of the emulated NIC's does TLS); each device
     * narrows.
     */
    static final OptionPolicy POLICY = new OptionPolicy(NAME,
            Set.of("trsvcid", "reconnect_delay", "host_traddr", "ctrl_loss_tmo", "hdr_digest", "data_digest",
                    "nr_write_queues", "nr_poll_queues", "tos", "host_iface", "offload_fallback", "tls", "tls_key",
                    "keyring"),
            Set.of("traddr"));

    private final Map<OffloadDriver, DriverEntry> drivers = new ConcurrentHashMap<>();
    private final Set<OffloadAssociation> associations = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptionPolicy optionPolicy() {
        return POLICY;
    }

    /** A device's driver service appeared, with its {@code service.ranking} and {@code service.id}. */
    public void addDriver(OffloadDriver driver, int serviceRanking, long serviceId) {
        drivers.put(driver, new DriverEntry(serviceRanking, serviceId));
    }

    /** How many drivers are registered now. */
    public int drivers() {
        return drivers.size();
    }

    /**
     * A device's driver service is going: waits for the calls in progress on it, then drains and destroys its
     * controllers' queues (the last calls it gets) and tells their cores the path failed. When this returns the
     * driver is never called again.
     */
    public void removeDriver(OffloadDriver driver) {
        DriverEntry entry = drivers.remove(driver);
        if (entry == null) {
            return;
        }
        entry.retire();
        for (OffloadAssociation association : associations) {
            if (association.driver() == driver && associations.remove(association)) {
                association.deviceLeft();
            }
        }
    }

    /** Closes every association (the component is going); drivers stay registered. */
    public void closeAll() {
        for (OffloadAssociation association : associations) {
            association.close();
        }
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        ConnectRequest request = request(options);
        List<Candidate> candidates = new ArrayList<>();
        List<String> left = new ArrayList<>();
        askAll(request, candidates, left);
        List<Entry> failed = new ArrayList<>();
        while (true) {
            // Each round ranks what is left: the next winner is the next claim in rank order.
            RankingReport report = ClaimRanking.rank(request, candidates, left, failed);
            Ranked winner = report.winner().orElseThrow();
            Candidate candidate = winner.candidate();
            candidates.remove(candidate);
            try {
                OffloadAssociation association = setUp(request, candidate, report);
                if (association != null) {
                    return association;
                }
                left.add(candidate.name());
            } catch (NvmeException | RuntimeException setupFailed) {
                failed.add(new Entry(candidate.name(), Outcome.FAILED, "setupCtrl failed: "
                        + setupFailed.getMessage()));
            }
        }
    }

    /** Asks every device, in service.id order: devices that tie (or decline) are listed the same way every time. */
    void askAll(ConnectRequest request, List<Candidate> candidates, List<String> left) {
        for (Map.Entry<OffloadDriver, DriverEntry> entry : registered()) {
            ask(entry.getKey(), entry.getValue(), request, candidates, left);
        }
    }

    private List<Map.Entry<OffloadDriver, DriverEntry>> registered() {
        List<Map.Entry<OffloadDriver, DriverEntry>> registered = new ArrayList<>(drivers.entrySet());
        registered.sort(Comparator.comparingLong(entry -> entry.getValue().serviceId));
        return registered;
    }

    /** Every device with its limits and the queues of its associations, in service.id order. */
    List<OffloadDeviceInfo> devices() {
        List<OffloadDeviceInfo> devices = new ArrayList<>();
        for (Map.Entry<OffloadDriver, DriverEntry> entry : registered()) {
            OffloadDriver driver = entry.getKey();
            DriverEntry registration = entry.getValue();
            if (!registration.enter()) {
                continue;
            }
            try {
                List<OffloadQueueInfo> queues = new ArrayList<>();
                for (OffloadAssociation association : associations) {
                    if (association.driver() == driver) {
                        queues.addAll(association.queueInfo());
                    }
                }
                devices.add(new OffloadDeviceInfo(driver.deviceName(), registration.serviceId,
                        registration.serviceRanking, driver.limits(), driver.optionPolicy(), queues));
            } catch (RuntimeException broken) {
                // A driver whose getters throw is left out of the listing; the connect path copes with it alike.
            } finally {
                registration.exit();
            }
        }
        return devices;
    }

    /**
     * Sets the controller up on the winning device and registers the association, both while the driver cannot
     * finish leaving; null when it left before.
     */
    private OffloadAssociation setUp(ConnectRequest request, Candidate winner, RankingReport report)
            throws NvmeException {
        OffloadDriver driver = winner.driver();
        DriverEntry entry = drivers.get(driver);
        if (entry == null || !entry.enter()) {
            return null;
        }
        try {
            OffloadController controller = driver.setupCtrl(request, winner.claim());
            OffloadAssociation association;
            try {
                association = new OffloadAssociation(this, driver, winner.name(), controller,
                        DeviceLimits.transportLimits(driver.limits()), report, request);
            } catch (RuntimeException badLimits) {
                controller.close();
                throw badLimits;
            }
            associations.add(association);
            return association;
        } finally {
            entry.exit();
        }
    }

    void forget(OffloadAssociation association) {
        associations.remove(association);
    }

    /** Asks one driver; a driver that throws declines with its message, one that left meanwhile is skipped. */
    private void ask(OffloadDriver driver, DriverEntry registration, ConnectRequest request,
            List<Candidate> candidates, List<String> left) {
        String name = "?";
        if (!registration.enter()) {
            return;
        }
        try {
            name = driver.deviceName();
            Optional<OffloadClaim> claim = driver.claimDev(request);
            OptionPolicy policy = claim.isPresent() ? driver.optionPolicy() : null;
            if (!drivers.containsKey(driver)) {
                left.add(name);
            } else if (claim.isPresent()) {
                candidates.add(Candidate.claimed(driver, name, claim.get(), policy, registration.serviceRanking,
                        registration.serviceId));
            } else {
                candidates.add(Candidate.declined(driver, name, driver.declineReason(request),
                        registration.serviceRanking, registration.serviceId));
            }
        } catch (RuntimeException failure) {
            if (!drivers.containsKey(driver)) {
                left.add(name);
            } else {
                candidates.add(Candidate.declined(driver, name, "claimDev failed: " + failure.getMessage(),
                        registration.serviceRanking, registration.serviceId));
            }
        } finally {
            registration.exit();
        }
    }

    /**
     * A registered driver and the threads calling it on the control path (claim, setup): {@link #retire()} waits
     * for them, except for the retiring thread itself (a driver may leave from inside its own claimDev).
     */
    private static final class DriverEntry {
        final int serviceRanking;
        final long serviceId;
        private final Map<Thread, Integer> callers = new HashMap<>();
        private boolean retired;

        DriverEntry(int serviceRanking, long serviceId) {
            this.serviceRanking = serviceRanking;
            this.serviceId = serviceId;
        }

        synchronized boolean enter() {
            if (retired) {
                return false;
            }
            callers.merge(Thread.currentThread(), 1, Integer::sum);
            return true;
        }

        synchronized void exit() {
            callers.computeIfPresent(Thread.currentThread(), (thread, depth) -> depth == 1 ? null : depth - 1);
            notifyAll();
        }

        synchronized void retire() {
            retired = true;
            boolean interrupted = false;
            while (callers.size() > (callers.containsKey(Thread.currentThread()) ? 1 : 0)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // Leaving early would break the contract; finish waiting, keep the interrupt.
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The {@link ConnectRequest} for these options: target and host addresses resolved, the options given. */
    static ConnectRequest request(ConnectOptions given) throws NvmeException {
        // offload_fallback is the host core's business, not a device's: drivers neither see nor honour it.
        ConnectOptions options = given;
        if (given.offloadFallback() != null) {
            ConnectOptions stripped = given.toBuilder().clear("offload_fallback").build();
            options = given.hostid() == null ? stripped
                    : stripped.withDefaultHost(new HostIdentity(given.hostnqn(), given.hostid()));
        }
        String traddr = options.traddr();
        String target = traddr + ":" + options.trsvcid();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(traddr), options.trsvcid());
            InetAddress host = options.hostTraddr() == null ? null : InetAddress.getByName(options.hostTraddr());
            Set<String> requested = options.given();
            if (options.tls() && !requested.contains("tls")) {
                // tls_key implies tls: a device must honour TLS itself, not only take the key.
                requested = new TreeSet<>(requested);
                requested.add("tls");
            }
            return new ConnectRequest(options, address, host, options.hostIface(), requested);
        } catch (UnknownHostException unknown) {
            throw NvmeTransportException.unreachable(target, unknown);
        }
    }
}
