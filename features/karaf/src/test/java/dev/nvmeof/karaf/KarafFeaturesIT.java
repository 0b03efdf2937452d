package dev.nvmeof.karaf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The features repository in a stock Apache Karaf, as a user installs it: Pax Exam unpacks and starts the
 * distribution from Maven Central ({@code org.apache.karaf:apache-karaf:tar.gz}) as its own process; the test types
 * {@code feature:repo-add mvn:dev.nvmeof/karaf-features/VERSION/xml/features} and {@code feature:install ...} into a
 * Karaf console session. Karaf resolves the features' {@code mvn:} URLs from the local repository and from the
 * bundles this build just made (a Maven-layout folder under {@code target/}); it never downloads. Karaf's SSH port is
 * a free one on 127.0.0.1 (Pax Exam picks free RMI ports itself); all traffic stays on 127.0.0.0/8.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT {
    static final String[] FEATURES = {"nvmeof-host", "nvmeof-offload-emulated", "nvmeof-target", "nvmeof-shell"};
    static final String[] BUNDLES = {"dev.nvmeof.protocol", "dev.nvmeof.api", "dev.nvmeof.host",
        "dev.nvmeof.transport.tcp", "dev.nvmeof.offload", "dev.nvmeof.nic.emulated", "dev.nvmeof.driver.kit",
        "dev.nvmeof.driver.acme", "dev.nvmeof.driver.vortex", "dev.nvmeof.target", "dev.nvmeof.shell",
        "dev.nvmeof.tls"};
    /** BouncyCastle's bundles the nvmeof-tls feature brings (Karaf's SSH server may have newer ones beside them). */
    static final String[] BOUNCYCASTLE = {"bcprov", "bcutil", "bctls"};
    static final String NQN = "nqn.2026-12.dev.nvmeof:karaf";
    static final long INSTALL_SECONDS = 60;

    /**
     * Once per Karaf (the class shares one; Pax Exam runs each test method as its own JUnit run in it, so class rules
     * and {@code @AfterClass} would run per method): the features installed, the target and NICs configured. Karaf
     * goes away with all of it after the class.
     */
    private static Throwable setupFailure;
    private static NvmeofStack stack;
    private static InetSocketAddress target;
    private static KarafConsole console;

    @Inject
    BundleContext context;


    @Configuration
    public Option[] configuration() throws IOException {
        String staging = new File(required("karaf.staging")).toURI().toString();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(required("karaf.distribution")).toURI().toString())
                    .name("Apache Karaf").karafVersion(required("karaf.version"))
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            // INFO, as a stock Karaf logs: the test waits for the ULP's INFO record that it bound a driver.
            logLevel(LogLevel.INFO),
            // The probe runs inside Karaf: it gets the version to type in feature:repo-add from Karaf's properties.
            systemProperty("nvmeof.version").value(required("nvmeof.version")),
            systemProperty("nvmeof.bouncycastle.version").value(required("nvmeof.bouncycastle.version")),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            // Offline: the distribution's system folder, this build's bundles, then the local repository.
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    required("maven.repo.local")),
            editConfigurationFileExtend("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                    staging + "@id=nvmeof.build@snapshots"),
        };
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run the test by Maven)");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code feature:repo-add} and {@code feature:install} typed into Karaf's console, once. */
    @Before
    public void installFeatures() throws Throwable {
        if (setupFailure != null) {
            throw new AssertionError("the features or the stack did not come up: " + setupFailure);
        }
        if (stack != null) {
            return;
        }
        try {
            console = KarafConsole.await(context, INSTALL_SECONDS);
            String repository = "mvn:dev.nvmeof/karaf-features/" + required("nvmeof.version") + "/xml/features";
            console.run("feature:repo-add " + repository, INSTALL_SECONDS).assertSucceeded();
            console.run("feature:install " + String.join(" ", FEATURES), INSTALL_SECONDS).assertSucceeded();
            String list = console.run("feature:list -i", INSTALL_SECONDS).assertSucceeded().text();
            for (String feature : FEATURES) {
                assertTrue(feature + " is not installed:\n" + list, list.contains(feature));
            }
            NvmeofStack started = new NvmeofStack(context);
            target = started.start(NQN, "16M");
            stack = started;
        } catch (Throwable t) {
            setupFailure = t;
            throw t;
        }
    }

    @Test
    public void shouldStartEveryBundleOfTheFeatures() {
        List<String> notActive = new ArrayList<>();
        for (String symbolicName : BUNDLES) {
            Bundle bundle = bundle(symbolicName);
            if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
                notActive.add(symbolicName + (bundle == null ? " (not installed)" : " (state " + bundle.getState()
                        + ")"));
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
    }

    @Test
    public void shouldWireTheTlsBundleToBouncyCastleOfTheBuildsVersion() {
        Version version = Version.parseVersion(required("nvmeof.bouncycastle.version"));
        List<String> notActive = new ArrayList<>();
        for (String symbolicName : BOUNCYCASTLE) {
            boolean active = false;
            for (Bundle bundle : context.getBundles()) {
                active |= symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion())
                        && bundle.getState() == Bundle.ACTIVE;
            }
            if (!active) {
                notActive.add(symbolicName + " " + version);
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
        Bundle tls = bundle("dev.nvmeof.tls");
        assertNotNull("dev.nvmeof.tls is not installed", tls);
        List<String> bouncyCastleWires = new ArrayList<>();
        for (BundleWire wire : tls.adapt(BundleWiring.class).getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE);
            if (pkg.startsWith("org.bouncycastle.")) {
                Bundle provider = wire.getProvider().getBundle();
                bouncyCastleWires.add(pkg + " from " + provider.getSymbolicName() + " " + provider.getVersion());
            }
        }
        assertEquals(List.of("org.bouncycastle.tls from bctls " + version,
                "org.bouncycastle.tls.crypto from bctls " + version,
                "org.bouncycastle.tls.crypto.impl.jcajce from bctls " + version),
                bouncyCastleWires.stream().sorted().collect(Collectors.toList()));
    }

    @Test
    public void shouldRegisterTheHostTransportsDriversAndTarget() throws Exception {
        assertService("dev.nvmeof.api.NvmeHost", "(nvme.transports=tcp)");
        assertService("dev.nvmeof.api.NvmeHost", "(nvme.transports=tcp_offload)");
        assertService("dev.nvmeof.spi.transport.Transport", "(transport=tcp)");
        assertService("dev.nvmeof.spi.transport.Transport", "(transport=tcp_offload)");
        assertService("dev.nvmeof.target.NvmeTarget", null);
        ServiceReference<?>[] drivers = context.getAllServiceReferences("dev.nvmeof.spi.offload.OffloadDriver", null);
        assertNotNull("no OffloadDriver service", drivers);
        assertEquals("OffloadDriver services (one per emulated NIC function)", 2, drivers.length);
    }

    @Test
    public void shouldReadWhatItWroteThroughTheHostServiceOverTcp() throws Exception {
        String path = stack.connectWriteReadDisconnect("tcp", target, NQN);
        assertFalse(path, path.isEmpty());
    }

    @Test
    public void shouldReadWhatItWroteThroughTheHostServiceOverTheOffloadedPath() throws Exception {
        String path = stack.connectWriteReadDisconnect("tcp_offload", target, NQN);
        assertTrue("the connection did not go through an emulated NIC's driver: " + path,
                path.contains("acme") || path.contains("vortex"));
    }

    /**
     * What the README shows a Karaf user: nvme-cli's commands typed into Karaf's console, a file written to the
     * namespace and read back into another, then every controller disconnected.
     */
    @Test
    public void shouldConnectWriteReadAndDisconnectThroughTheShellInKarafsConsole() throws Exception {
        KarafConsole.Result connect = console.run("nvme connect -t tcp -a 127.0.0.1 -s " + target.getPort() + " -n "
                + NQN, 30).assertSucceeded();
        Matcher connected = Pattern.compile("connecting to device: (nvme\\d+)").matcher(connect.text());
        assertTrue("nvme connect said: " + connect.text(), connected.find());
        String namespace = "/dev/" + connected.group(1) + "n1";

        String list = console.run("nvme list", 10).assertSucceeded().text();
        assertTrue("nvme list does not show " + namespace + ":\n" + list, list.contains(namespace));

        Path dir = Files.createTempDirectory("nvmeof-karaf-it");
        byte[] data = new byte[8 * 512];
        new Random(13).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        Path out = dir.resolve("out.bin");
        assertEquals("write: Success", console.run("nvme write " + namespace + " -s 16 -c 7 -z 4096 -d " + in, 10)
                .assertSucceeded().text().trim());
        assertEquals("read: Success", console.run("nvme read " + namespace + " --start-block=16 --block-count=7"
                + " --data-size=4k --data " + out, 10).assertSucceeded().text().trim());
        assertArrayEquals("the file read back differs from the file written", data, Files.readAllBytes(out));

        console.run("nvme disconnect-all", 10).assertSucceeded();
        String after = console.run("nvme list", 10).assertSucceeded().text();
        assertFalse("still listed after disconnect-all:\n" + after, after.contains(namespace));
    }

    /** The offload commands in Karaf's console: the NIC ports with their addresses, and who would claim and why. */
    @Test
    public void shouldShowPortsAndClaimsThroughTheShellInKarafsConsole() {
        String addresses = console.run("ip addr show", 10).assertSucceeded().text();
        assertTrue("ip addr show:\n" + addresses, addresses.contains("inet 127.0.0.2/"));
        String claims = console.run("ofld claims -a 127.0.0.1 -s " + target.getPort(), 10).assertSucceeded().text();
        assertTrue("ofld claims:\n" + claims, claims.contains(" would carry the connection to 127.0.0.1:"
                + target.getPort()));
        assertTrue("ofld claims:\n" + claims, claims.contains("WINS") && claims.contains("LOSES"));
    }

    /** A command's error reaches the Karaf user as nvme-cli's one line, not as a stack trace. */
    @Test
    public void shouldReportABadCommandInOneLineInKarafsConsole() {
        KarafConsole.Result missingNqn = console.run("nvme connect -t tcp -a 127.0.0.1 -s " + target.getPort(), 10);
        assertNotNull("nvme connect without -n succeeded: " + missingNqn.text(), missingNqn.failure());
        String message = missingNqn.failure().getMessage();
        assertTrue("unexpected error: " + message, message.startsWith("nvme connect: ") && message.contains("-n"));
        assertFalse("a multi-line error: " + message, message.contains("\n"));
    }

    /**
     * The shell bundle registers Felix Gogo functions (services with {@code osgi.command.scope} and
     * {@code osgi.command.function}, methods taking {@code Object...}), not Karaf {@code @Command} classes: Karaf's
     * console must run those too, with options passed through as plain arguments.
     */
    @Test
    public void shouldRunGogoStyleFunctionsInKarafsConsole() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "nvmeofit");
        properties.put("osgi.command.function", new String[] {"echoargs"});
        ServiceRegistration<?> registration = context.registerService(Object.class, new GogoStyle(), properties);
        try {
            KarafConsole.Result scoped = console.run("nvmeofit:echoargs connect -t tcp -s 4420 -n nqn.x", 10);
            assertEquals("connect|-t|tcp|-s|4420|-n|nqn.x", scoped.assertSucceeded().text().trim());
            KarafConsole.Result bare = console.run("echoargs -o json", 10);
            assertEquals("-o|json", bare.assertSucceeded().text().trim());
        } finally {
            registration.unregister();
        }
    }

    /** A Gogo function as the shell bundle writes them. */
    public static final class GogoStyle {
        public String echoargs(Object... args) {
            List<String> words = new ArrayList<>();
            for (Object arg : args) {
                words.add(String.valueOf(arg));
            }
            return String.join("|", words);
        }
    }

    private void assertService(String type, String filter) throws Exception {
        assertNotNull("no " + type + " service" + (filter == null ? "" : " with " + filter),
                context.getServiceReferences(type, filter));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
