package dev.nvmeof.host;

import dev.nvmeof.protocol.log.Log;
import java.io.IOException;
import java.nio.file.Path;
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
        DefaultNvmeHost host = new DefaultNvmeHost(HostIdentity.loadOrCreate(stateDirectory), HostSettings.defaults(),
                true);
        for (Transport transport : transports) {
            host.addTransport(transport);
        }
        return new EmbeddedNvmeHost(host);
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
