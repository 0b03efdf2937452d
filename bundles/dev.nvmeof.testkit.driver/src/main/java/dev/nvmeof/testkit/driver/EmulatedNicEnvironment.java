package dev.nvmeof.testkit.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.spi.offload.OffloadDriver;

/**
 * The environment for a driver of the emulated NIC: a {@link ConformanceTarget} on {@value #TARGET_ADDRESS}, a NIC
 * function whose port {@code p1p1} carries {@value #PORT_ADDRESS} (as {@code ip addr add 127.0.0.2/24 dev p1p1}),
 * the driver the vendor builds over it, {@link EmulatedNicHooks}, and {@value #UNROUTED_ADDRESS} as the address no
 * port routes to. Everything is on 127/8 and ephemeral ports.
 *
 * <pre>{@code
 * DriverConformance.scenarios(() -> EmulatedNicEnvironment.start(capabilities, nic -> new MyDriver(nic)))
 * }</pre>
 */
public final class EmulatedNicEnvironment implements Environment {
    public static final String TARGET_ADDRESS = "127.0.0.1";
    public static final String PORT = "p1p1";
    public static final String PORT_ADDRESS = "127.0.0.2/24";
    public static final String UNROUTED_ADDRESS = "127.99.0.1";
    /** The target's namespace: 64 MiB. */
    public static final long NAMESPACE_BYTES = 64L << 20;

    private final ConformanceTarget target;
    private final NicFunction nic;
    private final OffloadDriver driver;
    private final EmulatedNicHooks hooks;
    private final Path state;

    private EmulatedNicEnvironment(ConformanceTarget target, NicFunction nic, OffloadDriver driver, Path state) {
        this.target = target;
        this.nic = nic;
        this.driver = driver;
        this.hooks = new EmulatedNicHooks(nic, PORT);
        this.state = state;
    }

    /** Starts target and NIC function (one port) and builds the driver over the function with {@code driver}. */
    public static EmulatedNicEnvironment start(NicCapabilities capabilities,
            Function<NicFunction, ? extends OffloadDriver> driver) throws IOException {
        ConformanceTarget target = ConformanceTarget.start(TARGET_ADDRESS, NAMESPACE_BYTES);
        NicFunction nic = null;
        try {
            nic = NicFunction.start(capabilities, 1, 1);
            nic.netDevice().addAddress(PORT, PORT_ADDRESS);
            OffloadDriver built = driver.apply(nic);
            return new EmulatedNicEnvironment(target, nic, built, Files.createTempDirectory("driver-conformance"));
        } catch (IOException | RuntimeException e) {
            if (nic != null) {
                nic.close();
            }
            target.close();
            throw e;
        }
    }

    /** The NIC function under the driver. */
    public NicFunction nic() {
        return nic;
    }

    @Override
    public OffloadDriver driver() {
        return driver;
    }

    @Override
    public ConformanceTarget target() {
        return target;
    }

    @Override
    public InetSocketAddress unroutedTarget() {
        return new InetSocketAddress(UNROUTED_ADDRESS, target.address().getPort());
    }

    @Override
    public DeviceHooks hooks() {
        return hooks;
    }

    @Override
    public Path stateDirectory() {
        return state;
    }

    @Override
    public void close() throws IOException {
        try {
            nic.close();
        } finally {
            target.close();
            try (Stream<Path> files = Files.walk(state)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
