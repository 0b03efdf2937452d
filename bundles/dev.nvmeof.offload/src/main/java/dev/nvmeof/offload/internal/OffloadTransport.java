package dev.nvmeof.offload.internal;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tcp_offload} transport: on every (re)connect it asks each offload device to claim the connection,
 * ranks the claims ({@link ClaimRanking}) and sets the controller up on the winner. Drivers come and go at any time
 * ({@link #addDriver}/{@link #removeDriver}, thread-safe); after {@link #removeDriver} returns the driver is never
 * called again. Plain Java for now: the Declarative Services wiring comes later.
 */
public final class OffloadTransport implements Transport {

    public static final String NAME = "tcp_offload";

    /** What the transport allows before any device is asked: the options Linux's tcp_offload took; each device narrows. */
    static final OptionPolicy POLICY = new OptionPolicy(NAME,
            Set.of("trsvcid", "reconnect_delay", "host_traddr", "ctrl_loss_tmo", "hdr_digest", "data_digest",
                    "nr_write_queues", "nr_poll_queues", "tos", "host_iface"),
            Set.of("traddr"));

    private record Registration(int serviceRanking, long serviceId) {
    }

    private final Map<OffloadDriver, Registration> drivers = new ConcurrentHashMap<>();
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
        drivers.put(driver, new Registration(serviceRanking, serviceId));
    }

    /**
     * A device's driver service is going: its controllers' queues are drained and destroyed now (the last calls it
     * gets), their cores told the path failed; afterwards it is never called again.
     */
    public void removeDriver(OffloadDriver driver) {
        if (drivers.remove(driver) == null) {
            return;
        }
        for (OffloadAssociation association : associations) {
            if (association.driver() == driver && associations.remove(association)) {
                association.deviceLeft();
            }
        }
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        ConnectRequest request = request(options);
        List<Candidate> candidates = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Map.Entry<OffloadDriver, Registration> entry : drivers.entrySet()) {
            ask(entry.getKey(), entry.getValue(), request, candidates, left);
        }
        RankingReport report = ClaimRanking.rank(request, candidates, left);
        Ranked winner = report.winner().orElseThrow();
        OffloadDriver driver = winner.candidate().driver();
        OffloadClaim claim = winner.candidate().claim();
        if (!drivers.containsKey(driver)) {
            throw NvmeTransportException.connectionLost("offload device " + winner.name()
                    + " left right after winning the claim (" + report + ")", null);
        }
        OffloadController controller = driver.setupCtrl(request, claim);
        OffloadAssociation association = new OffloadAssociation(this, driver, winner.name(), controller,
                QueueCount.transportLimits(driver.limits()), report);
        associations.add(association);
        if (!drivers.containsKey(driver) && associations.remove(association)) {
            // It left while we set up: removeDriver may have missed this association.
            association.deviceLeft();
            throw NvmeTransportException.connectionLost("offload device " + winner.name() + " left during setup", null);
        }
        return association;
    }

    void forget(OffloadAssociation association) {
        associations.remove(association);
    }

    /** Asks one driver; a driver that throws declines with its message, one that left meanwhile is skipped. */
    private void ask(OffloadDriver driver, Registration registration, ConnectRequest request,
            List<Candidate> candidates, List<String> left) {
        String name = "?";
        try {
            name = driver.deviceName();
            Optional<OffloadClaim> claim = driver.claimDev(request);
            OptionPolicy policy = claim.isPresent() ? driver.optionPolicy() : null;
            if (!drivers.containsKey(driver)) {
                left.add(name);
            } else if (claim.isPresent()) {
                candidates.add(Candidate.claimed(driver, name, claim.get(), policy, registration.serviceRanking(),
                        registration.serviceId()));
            } else {
                candidates.add(Candidate.declined(driver, name, "cannot reach "
                        + request.target().getAddress().getHostAddress() + " through its port",
                        registration.serviceRanking(), registration.serviceId()));
            }
        } catch (RuntimeException failure) {
            if (!drivers.containsKey(driver)) {
                left.add(name);
            } else {
                candidates.add(Candidate.declined(driver, name, "claimDev failed: " + failure.getMessage(),
                        registration.serviceRanking(), registration.serviceId()));
            }
        }
    }

    /** The {@link ConnectRequest} for these options: target and host addresses resolved, the options given. */
    static ConnectRequest request(ConnectOptions options) throws NvmeException {
        String traddr = options.traddr();
        String target = traddr + ":" + options.trsvcid();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(traddr), options.trsvcid());
            InetAddress host = options.hostTraddr() == null ? null : InetAddress.getByName(options.hostTraddr());
            return new ConnectRequest(options, address, host, options.hostIface(), options.given());
        } catch (UnknownHostException unknown) {
            throw NvmeTransportException.unreachable(target, unknown);
        }
    }
}
