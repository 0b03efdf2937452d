package dev.nvmeof.testkit.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a vendor's in-framework driver test: the host stack, an embedded target, emulated NIC functions
 * declared through ConfigAdmin, and the driver bundle under test, in Felix (or any framework Pax Exam runs).
 *
 * <pre>{@code
 * @Configuration
 * public Option[] config() {
 *     return options(NvmeofOptions.hostStack(),
 *             NvmeofOptions.embeddedTarget("nqn.2026-12.com.example:test", "64M"),
 *             NvmeofOptions.emulatedNic(EmulatedNic.of(0x5A17, 0x0300, "Z0001").withAddresses("p1p1 127.0.0.2/24")),
 *             NvmeofOptions.driver(Path.of(System.getProperty("driver.bundle"))));
 * }
 * }</pre>
 *
 * <p><b>Where bundles come from</b> ({@code BundleSource}): from the jars the system property {@code nvmeof.bundles}
 * (and {@code nvmeof.runtime}) lists, found by symbolic name and installed by {@code file:} URL, when it is set (a
 * build gives the paths with {@code maven-dependency-plugin:properties}, so {@code mvn verify} needs no install);
 * otherwise as {@code mvn:} URLs at the versions this jar was built with, through pax-url and its
 * {@code org.ops4j.pax.url.mvn.*} system properties (set {@code org.ops4j.pax.url.mvn.repositories} to {@code +}
 * and {@code org.ops4j.pax.url.mvn.localRepository} to the local repository to stay offline).
 *
 * <p><b>Configurations</b> ({@link #emulatedNic}, {@link #embeddedTarget}, {@link #factoryConfiguration}) are bundles
 * generated on the fly whose activator creates them once ConfigAdmin is up; each test framework starts empty, so
 * nothing leaks between tests. Wait (bounded) for the service a configuration makes before using it.
 *
 * <p>This class and {@link EmulatedNic} live on the Pax Exam driver side only: use them inside the
 * {@code @Configuration} method, never in a field of the test class (the test class is also loaded in the framework's
 * probe bundle, where they are not).
 */
public final class NvmeofOptions {
    /** The factory PID of an emulated NIC function. */
    public static final String NIC_FUNCTION_PID = "dev.nvmeof.nic.emulated.function";
    /** The PID of the embedded target (its listeners), and the factory PIDs of its subsystems and namespaces. */
    public static final String TARGET_PID = "dev.nvmeof.target";
    public static final String SUBSYSTEM_PID = "dev.nvmeof.target.subsystem";
    public static final String NAMESPACE_PID = "dev.nvmeof.target.namespace";
    /** Where {@link #embeddedTarget} listens: loopback, a port the system picks (read it from {@code NvmeTarget}). */
    public static final String TARGET_LISTEN = "127.0.0.1:0";

    /** SCR with what it needs, OSGi Log, ConfigAdmin: in install order. */
    static final List<String> RUNTIME = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr", "org.osgi.service.log", "org.apache.felix.log",
            "org.apache.felix.configadmin");
    /** BouncyCastle's bundles, which dev.nvmeof.tls imports: installed before it, in install order. */
    static final List<String> BOUNCYCASTLE = List.of("bcprov", "bcutil", "bctls");
    /**
     * Our bundles a driver test runs with. The target bundle is among them because the driver test kit's
     * {@code ConformanceTarget} uses it; unconfigured, it serves nothing. {@code dev.nvmeof.tls} is the TLS channel
     * of the target and the {@code tcp} transport.
     */
    static final List<String> STACK = List.of("dev.nvmeof.protocol", "dev.nvmeof.api", "dev.nvmeof.tls",
            "dev.nvmeof.target", "dev.nvmeof.host", "dev.nvmeof.transport.tcp", "dev.nvmeof.testkit",
            "dev.nvmeof.offload", "dev.nvmeof.nic.emulated", "dev.nvmeof.testkit.driver");

    private NvmeofOptions() {
    }

    /**
     * The runtime (SCR, ConfigAdmin, OSGi Log, OSGi utils), BouncyCastle (bcprov, bcutil, bctls), the host stack
     * (protocol, api, the TLS channel, host, the {@code tcp} transport, the {@code tcp_offload} ULP, the emulated NIC,
     * the target bundle unconfigured) and the test kits
     * ({@code dev.nvmeof.testkit}, {@code dev.nvmeof.testkit.driver}), plus Pax Exam's JUnit bundles. No vendor
     * driver: add yours with {@link #driver}.
     */
    public static Option hostStack() {
        BundleSource source = BundleSource.fromSystemProperties();
        List<Option> options = new ArrayList<>();
        for (String symbolicName : RUNTIME) {
            options.add(source.bundleNamed(symbolicName));
        }
        for (String symbolicName : BOUNCYCASTLE) {
            options.add(source.bundleNamed(symbolicName));
        }
        for (String symbolicName : STACK) {
            options.add(source.bundleNamed(symbolicName));
        }
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        return composite(options.toArray(new Option[0]));
    }

    /** One emulated NIC function, declared through ConfigAdmin; its {@code NicFunction} service follows. */
    public static Option emulatedNic(EmulatedNic nic) {
        return bundle(new ConfigurationBundle("nic." + nic.serial()).factory(NIC_FUNCTION_PID, nic.properties())
                .write().toUri().toString());
    }

    /**
     * The configuration of the target bundle {@link #hostStack()} brings: listening on {@value #TARGET_LISTEN} with
     * one event loop, serving subsystem {@code nqn} with namespace 1 of {@code namespaceSize} in RAM (e.g.
     * {@code "64M"}). The {@code NvmeTarget} service's {@code listeners()} then gives the port; connect once the
     * namespace is there (the host's {@code BlockDevice} service for it appears).
     */
    public static Option embeddedTarget(String nqn, String namespaceSize) {
        return bundle(new ConfigurationBundle("target")
                .singleton(TARGET_PID, Map.of("listen", new String[] {TARGET_LISTEN}, "eventLoops", 1))
                .factory(SUBSYSTEM_PID, Map.of("nqn", nqn))
                .factory(NAMESPACE_PID, Map.of("subsystem", nqn, "nsid", 1, "size", namespaceSize))
                .write().toUri().toString());
    }

    /** Any factory configuration, created through ConfigAdmin once it is up (values: ConfigAdmin's types). */
    public static Option factoryConfiguration(String factoryPid, Map<String, ?> properties) {
        return bundle(new ConfigurationBundle("factory").factory(factoryPid, properties).write().toUri().toString());
    }

    /** The driver bundle under test, by URL ({@code file:...}, {@code mvn:...}), started. */
    public static Option driver(String bundleLocation) {
        return bundle(bundleLocation);
    }

    /** The driver bundle under test, a jar (e.g. {@code target/<artifactId>-<version>.jar} in failsafe), started. */
    public static Option driver(Path jar) {
        return bundle(jar.toUri().toString());
    }

    /** The driver bundle under test by Maven coordinates, through pax-url (see the class comment), started. */
    public static Option driver(String groupId, String artifactId, String version) {
        return mavenBundle(groupId, artifactId, version);
    }
}
