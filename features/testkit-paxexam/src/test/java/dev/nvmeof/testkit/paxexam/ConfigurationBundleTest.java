package dev.nvmeof.testkit.paxexam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.ops4j.pax.exam.options.ProvisionOption;

import dev.nvmeof.testkit.paxexam.configurer.ConfigurationsActivator;

class ConfigurationBundleTest {

    @SuppressWarnings("unchecked")
    private static List<Object[]> configurations(JarFile jar) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(jar.getInputStream(
                jar.getJarEntry(ConfigurationsActivator.RESOURCE)))) {
            return (List<Object[]>) in.readObject();
        }
    }

    @Test
    void shouldWriteABundleWhoseActivatorIsItsOnlyClass() throws Exception {
        Path written = new ConfigurationBundle("nic.Z1").factory(NvmeofOptions.NIC_FUNCTION_PID, Map.of("serial", "Z1"))
                .write();

        try (JarFile jar = new JarFile(written.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals(ConfigurationsActivator.class.getName(), main.getValue("Bundle-Activator"));
            assertTrue(main.getValue("Bundle-SymbolicName").startsWith("dev.nvmeof.testkit.paxexam.configuration.nic.Z1."));
            assertTrue(main.getValue("Import-Package").contains("org.osgi.service.cm"));
            assertEquals(List.of(ConfigurationsActivator.class.getName().replace('.', '/') + ".class"),
                    jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList());
        }
        // Copied alone, so it must have no nested classes to leave behind.
        File[] compiled = new File(ConfigurationsActivator.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toPath().resolve("dev/nvmeof/testkit/paxexam/configurer").toFile().listFiles();
        assertNotNull(compiled);
        assertEquals(1, compiled.length, List.of(compiled).toString());
    }

    @Test
    void shouldCarryTheConfigurationsInOrderWithTheirTypes() throws Exception {
        EmulatedNic nic = EmulatedNic.of(0x5A17, 0x0300, "Z0001").withSlot(3).withAddresses("p3p1 127.0.0.4/24")
                .withLinkSpeedMbps(40_000).withPolling(true);
        ProvisionOption<?> option = (ProvisionOption<?>) NvmeofOptions.emulatedNic(nic);

        try (JarFile jar = new JarFile(new File(java.net.URI.create(option.getURL())))) {
            List<Object[]> configurations = configurations(jar);
            assertEquals(1, configurations.size());
            assertEquals(ConfigurationsActivator.FACTORY, configurations.get(0)[0]);
            assertEquals(NvmeofOptions.NIC_FUNCTION_PID, configurations.get(0)[1]);
            Dictionary<?, ?> properties = (Dictionary<?, ?>) configurations.get(0)[2];
            assertEquals(0x5A17, properties.get("vendor.id"));
            assertEquals(0x0300, properties.get("device.id"));
            assertEquals("Z0001", properties.get("serial"));
            assertEquals(3, properties.get("slot"));
            assertEquals(40_000L, properties.get("link.speed.mbps"));
            assertEquals(Boolean.TRUE, properties.get("polling"));
            assertArrayEquals(new String[] {"p3p1 127.0.0.4/24"}, (String[]) properties.get("addresses"));
        }
    }

    @Test
    void shouldDeclareTheTargetThenItsSubsystemThenItsNamespace() throws Exception {
        ProvisionOption<?> option = (ProvisionOption<?>) NvmeofOptions.embeddedTarget("nqn.test", "8M");

        try (JarFile jar = new JarFile(new File(java.net.URI.create(option.getURL())))) {
            List<Object[]> configurations = configurations(jar);
            assertEquals(List.of(NvmeofOptions.TARGET_PID, NvmeofOptions.SUBSYSTEM_PID, NvmeofOptions.NAMESPACE_PID),
                    configurations.stream().map(c -> c[1]).toList());
            assertEquals(ConfigurationsActivator.SINGLETON, configurations.get(0)[0]);
            assertArrayEquals(new String[] {"127.0.0.1:0"},
                    (String[]) ((Dictionary<?, ?>) configurations.get(0)[2]).get("listen"));
            Dictionary<?, ?> namespace = (Dictionary<?, ?>) configurations.get(2)[2];
            assertEquals("nqn.test", namespace.get("subsystem"));
            assertEquals(1, namespace.get("nsid"));
            assertEquals("8M", namespace.get("size"));
        }
    }
}
