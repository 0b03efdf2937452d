package dev.nvmeof.testkit.paxexam;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import dev.nvmeof.testkit.paxexam.configurer.ConfigurationsActivator;

/**
 * Configurations for ConfigAdmin, written into a tiny bundle the test framework installs: its only class,
 * {@link ConfigurationsActivator}, creates them when ConfigAdmin is there. So a configuration is an ordinary Pax Exam
 * provisioning option, ready before the test method runs, with no {@code @Before} to remember.
 */
final class ConfigurationBundle {
    private static final AtomicInteger GENERATED = new AtomicInteger();

    private final String name;
    private final List<Object[]> configurations = new ArrayList<>();

    /** @param name part of the bundle's symbolic name, e.g. {@code nic.Z0001} */
    ConfigurationBundle(String name) {
        this.name = name;
    }

    /** Adds a factory configuration (one instance of {@code factoryPid}). */
    ConfigurationBundle factory(String factoryPid, Map<String, ?> properties) {
        configurations.add(new Object[] {ConfigurationsActivator.FACTORY, factoryPid, dictionary(properties)});
        return this;
    }

    /** Adds (or replaces) the configuration of the singleton {@code pid}. */
    ConfigurationBundle singleton(String pid, Map<String, ?> properties) {
        configurations.add(new Object[] {ConfigurationsActivator.SINGLETON, pid, dictionary(properties)});
        return this;
    }

    /** Writes the bundle to a temporary jar (deleted when the JVM exits) and returns its path. */
    Path write() {
        try {
            Path jar = Files.createTempFile("nvmeof-configuration-", ".jar");
            jar.toFile().deleteOnExit();
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest())) {
                String activator = ConfigurationsActivator.class.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(activator));
                try (InputStream classFile = ConfigurationsActivator.class.getClassLoader()
                        .getResourceAsStream(activator)) {
                    classFile.transferTo(out);
                }
                out.putNextEntry(new JarEntry(ConfigurationsActivator.RESOURCE));
                ObjectOutputStream objects = new ObjectOutputStream(out); // not closed: the jar is
                objects.writeObject(configurations);
                objects.flush();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration bundle " + name, e);
        }
    }

    private Manifest manifest() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.nvmeof.testkit.paxexam.configuration." + name + "."
                + GENERATED.incrementAndGet());
        main.putValue("Bundle-Version", "0.0.0");
        main.putValue("Bundle-Activator", ConfigurationsActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework;version=\"[1.8,2)\",org.osgi.service.cm;version=\"[1.5,2)\","
                + "org.osgi.util.tracker;version=\"[1.5,2)\"");
        return manifest;
    }

    /** ConfigAdmin's value types only: String, boxed primitives, arrays of them (checked by ConfigAdmin). */
    private static Dictionary<String, Object> dictionary(Map<String, ?> properties) {
        Hashtable<String, Object> dictionary = new Hashtable<>();
        properties.forEach(dictionary::put);
        return dictionary;
    }
}
