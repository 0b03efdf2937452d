package dev.nvmeof.host;

import dev.nvmeof.protocol.log.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerListener;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.host.internal.DefaultNvmeHost;
import dev.nvmeof.host.internal.HostSettings;
import dev.nvmeof.protocol.DiscoveryLogEntry;
import dev.nvmeof.spi.transport.Transport;

/**
 * An {@link NvmeHost} in plain Java: its host NQN and ID are created once in a state directory (like
 * {@code /etc/nvme/hostnqn} and {@code hostid}), the given transports serve the connections, and each controller
 * runs its own keep-alive, timeout and recovery thread. {@link #close()} disconnects every controller.
 */
@ProviderType
public final class EmbeddedNvmeHost implements NvmeHost, AutoCloseable {
    private final DefaultNvmeHost host;

    private EmbeddedNvmeHost(DefaultNvmeHost host) {
        this.host = host;
    }

    /** A host whose identity lives in {@code stateDirectory} (created if needed), with these transports. */
    public static EmbeddedNvmeHost start(Path stateDirectory, Transport... transports) throws IOException {
        return start(HostIdentity.loadOrCreate(stateDirectory), HostSettings.defaults().ioTimeout(), transports);
    }

    /**
     * A host with this identity (e.g. {@link HostIdentity#generate()} for a throw-away one), an I/O command timeout
     * other than Linux's 30 s, and these transports.
     *
     * @since 1.1
     */
    public static EmbeddedNvmeHost start(HostIdentity identity, Duration ioTimeout, Transport... transports) {
        HostSettings d = HostSettings.defaults();
        HostSettings settings = new HostSettings(d.clock(), ioTimeout, d.adminTimeout(), d.icRespTimeout(),
                d.shutdownTimeout(), d.pollInterval(), d.pause(), d.waitTick());
        DefaultNvmeHost host = new DefaultNvmeHost(identity, settings, true);
        for (Transport transport : transports) {
            host.addTransport(transport);
        }
        return new EmbeddedNvmeHost(host);
    }

    /**
     * Serves connections with {@code transport} from now on (by its name; it replaces one of the same name), as an
     * OSGi host does when a transport service arrives.
     *
     * @since 1.1
     */
    public void addTransport(Transport transport) {
        host.addTransport(transport);
    }

    /**
     * No new connection through {@code transport}; its controllers stay as they are.
     *
     * @since 1.1
     */
    public void removeTransport(Transport transport) {
        host.removeTransport(transport);
    }

    @Override
    public NvmeController connect(ConnectOptions options) throws NvmeException {
        return host.connect(options);
    }

    @Override
    public List<DiscoveryLogEntry> discover(ConnectOptions options) throws NvmeException {
        return host.discover(options);
    }

    @Override
    public List<NvmeController> connectAll(ConnectOptions discovery) throws NvmeException {
        return host.connectAll(discovery);
    }

    @Override
    public List<NvmeController> controllers() {
        return host.controllers();
    }

    @Override
    public Optional<NvmeController> controller(String name) {
        return host.controller(name);
    }

    @Override
    public HostIdentity identity() {
        return host.identity();
    }

    @Override
    public void addListener(ControllerListener listener) {
        host.addListener(listener);
    }

    @Override
    public void removeListener(ControllerListener listener) {
        host.removeListener(listener);
    }

    /** Disconnects every controller (CC.SHN first), best effort. */
    @Override
    public void close() {
        for (NvmeController controller : host.controllers()) {
            try {
                controller.disconnect();
            } catch (NvmeException e) {
                Log.get("dev.nvmeof.host").log(System.Logger.Level.WARNING,
                        "disconnecting " + controller.name() + " failed: " + e.getMessage());
            }
        }
    }
}
