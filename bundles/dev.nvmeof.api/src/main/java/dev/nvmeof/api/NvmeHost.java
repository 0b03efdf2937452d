package dev.nvmeof.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.protocol.DiscoveryLogEntry;

/**
 * The NVMe host: connects controllers over a fabrics transport, like {@code nvme connect}, {@code nvme discover} and
 * {@code nvme connect-all}. Registered as an OSGi service by the host core; also usable in plain Java.
 */
@ProviderType
public interface NvmeHost {
    /**
     * The service property (a {@code String[]}) naming the transports the host can connect through now, updated as
     * they come and go: track {@code (nvme.transports=tcp)} to know a connect over {@code tcp} can be tried.
     *
     * @since 1.3
     */
    String TRANSPORTS_PROPERTY = "nvme.transports";

    /**
     * Connects a controller: options checked (a bad or unsupported option is refused, naming it), the transport's
     * association set up, admin queue, CC.EN, Identify, I/O queues, namespaces published.
     *
     * @throws InvalidOptionException a bad option, or a duplicate connect without {@code duplicate_connect}
     * @throws NvmeTimeoutException   a connect step missed its deadline (the step is named)
     * @throws NvmeException          the target refused (its status) or could not be reached
     */
    NvmeController connect(ConnectOptions options) throws NvmeException;

    /** Reads the discovery log of a discovery controller ({@code nvme discover}) and disconnects. */
    List<DiscoveryLogEntry> discover(ConnectOptions options) throws NvmeException;

    /** Discovers, then connects every NVM subsystem listed that is not connected yet ({@code nvme connect-all}). */
    List<NvmeController> connectAll(ConnectOptions discovery) throws NvmeException;

    /** The controllers this host has, in every state but DEAD. */
    List<NvmeController> controllers();

    /** A controller by name ({@code nvme0}). */
    Optional<NvmeController> controller(String name);

    /** This host's NQN and ID, generated once and persisted. */
    HostIdentity identity();

    /**
     * From now on, {@code listener} hears every state change of every controller of this host, as
     * {@link ControllerListener} describes. Adding one listener twice has no further effect.
     *
     * @since 1.2
     */
    void addListener(ControllerListener listener);

    /**
     * {@code listener} hears no more changes, except at most one already being delivered to it when this returns.
     *
     * @since 1.2
     */
    void removeListener(ControllerListener listener);
}
