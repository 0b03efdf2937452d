package dev.nvmeof.testkit.driver;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * Where one conformance scenario runs: a fresh driver on its device, our target reachable through the device, an
 * address it cannot reach, the hooks that provoke faults and a directory for a host's identity. Each scenario opens
 * its own ({@link Factory}) and closes it, so no scenario sees what another left behind.
 */
@ConsumerType
public interface Environment extends AutoCloseable {

    /** Opens a fresh environment per scenario. */
    @FunctionalInterface
    interface Factory {
        Environment open() throws Exception;
    }

    /** The driver under test, not yet added to any offload stack. */
    OffloadDriver driver();

    /** The target the device routes to (on a 127/8 address), with an empty namespace to write on. */
    ConformanceTarget target();

    /** An address on 127/8 that no port of the device routes to; nothing is ever sent there. */
    InetSocketAddress unroutedTarget();

    DeviceHooks hooks();

    /** A directory for the host's identity (created, writable). */
    Path stateDirectory();

    /** Stops what {@link Factory#open()} started: device, target, directory. */
    @Override
    void close() throws Exception;
}
