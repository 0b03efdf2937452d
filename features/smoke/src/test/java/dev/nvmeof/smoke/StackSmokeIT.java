package dev.nvmeof.smoke;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.inject.Inject;

import dev.nvmeof.protocol.tcp.CapsuleCmdPdu;
import dev.nvmeof.protocol.tcp.ControllerPduHandler;
import dev.nvmeof.protocol.tcp.H2cDataPdu;
import dev.nvmeof.protocol.tcp.IcReqPdu;
import dev.nvmeof.protocol.tcp.PduDecoder;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.TermReqPdu;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Starts Felix with every bundle of the stack built so far plus the runtime they need, and checks what a deployer
 * sees first: each bundle resolves and starts, exports only versioned packages, and every declared component
 * activates. A new bundle joins by being listed in this module's pom.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StackSmokeIT {

    private static final String OUR_PREFIX = "dev.nvmeof.";

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>();
        for (String path : paths("nvmeof.runtime")) {
            options.add(bundle(new File(path).toURI().toString()));
        }
        for (String path : paths("nvmeof.bundles")) {
            options.add(bundle(new File(path).toURI().toString()));
        }
        options.add(systemProperty("nvmeof.expected.bundles").value(String.valueOf(paths("nvmeof.bundles").size())));
        options.add(systemProperty("nvmeof.bouncycastle.version")
                .value(System.getProperty("nvmeof.bouncycastle.version")));
        // Pax Exam's own bundles log at DEBUG to stdout by default; keep the build log readable.
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        return options(options.toArray(new Option[0]));
    }

    private static List<String> paths(String property) {
        String value = System.getProperty(property, "");
        return Arrays.stream(value.split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toList());
    }

    @Test
    public void shouldStartEveryBundleOfTheStack() {
        Map<String, Integer> notActive = new TreeMap<>();
        int ours = 0;
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.put(bundle.getSymbolicName(), bundle.getState());
            }
            if (bundle.getSymbolicName().startsWith(OUR_PREFIX)) {
                ours++;
            }
        }
        assertTrue("bundles not ACTIVE (name=state): " + notActive, notActive.isEmpty());
        assertEquals("bundles of the stack installed", Integer.parseInt(System.getProperty("nvmeof.expected.bundles")), ours);
    }

    @Test
    public void shouldExportOnlyVersionedPackages() {
        for (Bundle bundle : ourBundles()) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            assertNotNull(bundle.getSymbolicName() + " is not resolved", wiring);
            for (BundleCapability export : wiring.getCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                String pkg = (String) export.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE);
                Version version = (Version) export.getAttributes().get("version");
                assertFalse(bundle.getSymbolicName() + " exports an internal package " + pkg, pkg.contains(".internal"));
                assertTrue(bundle.getSymbolicName() + " exports " + pkg + " without a version",
                        version != null && !Version.emptyVersion.equals(version));
            }
        }
    }

    @Test
    public void shouldExportTheProtocolPackagesWithoutImportingOsgi() {
        Bundle protocol = ourBundles().stream()
                .filter(b -> b.getSymbolicName().equals("dev.nvmeof.protocol")).findFirst().orElseThrow();
        BundleWiring wiring = protocol.adapt(BundleWiring.class);
        List<String> exported = wiring.getCapabilities(BundleRevision.PACKAGE_NAMESPACE).stream()
                .map(c -> (String) c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("dev.nvmeof.protocol", "dev.nvmeof.protocol.auth", "dev.nvmeof.protocol.log",
                "dev.nvmeof.protocol.tcp", "dev.nvmeof.protocol.tls"), exported);
        assertTrue("dev.nvmeof.protocol must not import org.osgi.*",
                wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE).stream()
                        .noneMatch(w -> w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)
                                .toString().startsWith("org.osgi.")));
        // The classes load and work inside the framework, not only on the test class path.
        assertEquals(Bundle.ACTIVE, protocol.getState());
    }

    @Test
    public void shouldExportTheTlsPackageWiredToBouncyCastleOfTheBuildsVersion() {
        Version bouncyCastle = Version.parseVersion(System.getProperty("nvmeof.bouncycastle.version"));
        Map<String, Integer> states = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (List.of("bcprov", "bcutil", "bctls").contains(bundle.getSymbolicName())) {
                assertEquals(bundle.getSymbolicName(), bouncyCastle, bundle.getVersion());
                states.put(bundle.getSymbolicName(), bundle.getState());
            }
        }
        assertEquals(Map.of("bcprov", Bundle.ACTIVE, "bcutil", Bundle.ACTIVE, "bctls", Bundle.ACTIVE), states);

        Bundle tls = ourBundles().stream()
                .filter(b -> b.getSymbolicName().equals("dev.nvmeof.tls")).findFirst().orElseThrow();
        assertEquals(Bundle.ACTIVE, tls.getState());
        BundleWiring wiring = tls.adapt(BundleWiring.class);
        List<String> exported = wiring.getCapabilities(BundleRevision.PACKAGE_NAMESPACE).stream()
                .map(c -> c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE) + " "
                        + c.getAttributes().get("version"))
                .collect(Collectors.toList());
        assertEquals(List.of("dev.nvmeof.tls 1.0.0"), exported);
        List<String> bouncyCastleWires = wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE).stream()
                .filter(w -> w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE).toString()
                        .startsWith("org.bouncycastle."))
                .map(w -> w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE) + " from "
                        + w.getProvider().getSymbolicName())
                .sorted().collect(Collectors.toList());
        assertEquals(List.of("org.bouncycastle.tls from bctls", "org.bouncycastle.tls.crypto from bctls",
                "org.bouncycastle.tls.crypto.impl.jcajce from bctls"), bouncyCastleWires);
    }

    @Test
    public void shouldDecodeWhatItEncodesThroughTheExportedPackages() throws Exception {
        // Loaded through the probe's imports: the classes come from the installed bundle, not the test class path.
        assertEquals("dev.nvmeof.protocol", FrameworkUtil.getBundle(PduDecoder.class).getSymbolicName());
        ByteBuffer wire = ByteBuffer.allocate(IcReqPdu.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new PduEncoder().icReq(wire, 0, true, true, 0);
        wire.flip();
        AtomicInteger digests = new AtomicInteger(-1);
        PduDecoder decoder = PduDecoder.forController(new ControllerPduHandler() {
            @Override
            public void onIcReq(IcReqPdu pdu) {
                digests.set(pdu.dgst());
            }

            @Override
            public void onTermReq(TermReqPdu pdu) {
            }

            @Override
            public ByteBuffer onCapsuleCmd(CapsuleCmdPdu pdu) {
                return null;
            }

            @Override
            public void onCapsuleCmdEnd(CapsuleCmdPdu pdu, boolean dataDigestOk) {
            }

            @Override
            public ByteBuffer onH2cData(H2cDataPdu pdu) {
                return null;
            }

            @Override
            public void onH2cDataEnd(H2cDataPdu pdu, boolean dataDigestOk) {
            }
        });
        assertEquals(1, decoder.decode(wire));
        assertEquals(IcReqPdu.HDGST_ENABLE | IcReqPdu.DDGST_ENABLE, digests.get());
    }

    @Test
    public void shouldActivateEveryDeclaredComponent() throws Exception {
        configureTheTarget();
        List<String> problems = new ArrayList<>();
        Bundle[] ours = ourBundles().toArray(new Bundle[0]);
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(ours)) {
            if (!description.defaultEnabled) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || configuration.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                        || configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(description.name + " state=" + configuration.state
                            + (configuration.failure == null ? "" : " " + configuration.failure));
                }
            }
        }
        assertTrue("components that did not activate: " + problems, problems.isEmpty());
    }

    /**
     * Components that require configuration get one, as a deployment would give them: the target on an ephemeral
     * port, one subsystem with one RAM namespace. Waits (bounded) until the subsystem's service is up.
     */
    private void configureTheTarget() throws Exception {
        Dictionary<String, Object> target = new Hashtable<>();
        target.put("listen", new String[] {"127.0.0.1:0"});
        target.put("eventLoops", 1);
        configurationAdmin.getConfiguration("dev.nvmeof.target", "?").update(target);
        Dictionary<String, Object> subsystem = new Hashtable<>();
        subsystem.put("nqn", "smoke");
        configurationAdmin.createFactoryConfiguration("dev.nvmeof.target.subsystem", "?").update(subsystem);
        Dictionary<String, Object> namespace = new Hashtable<>();
        namespace.put("subsystem", "smoke");
        namespace.put("nsid", 1);
        namespace.put("size", "1M");
        configurationAdmin.createFactoryConfiguration("dev.nvmeof.target.namespace", "?").update(namespace);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=dev.nvmeof.target.internal.ds.NamespaceComponent)(nsid=1))"),
                null);
        tracker.open();
        try {
            assertNotNull("the namespace component did not come up", tracker.waitForService(10_000));
        } finally {
            tracker.close();
        }
    }

    private List<Bundle> ourBundles() {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().startsWith(OUR_PREFIX))
                .collect(Collectors.toList());
    }
}
