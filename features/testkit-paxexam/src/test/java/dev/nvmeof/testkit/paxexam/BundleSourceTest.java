package dev.nvmeof.testkit.paxexam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ops4j.pax.exam.options.ProvisionOption;

class BundleSourceTest {
    @TempDir
    Path dir;

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path jar = dir.resolve(name);
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return jar;
    }

    @Test
    void shouldInstallEachBundleFromTheListedJarOfItsSymbolicName() throws IOException {
        Path api = jar("whatever-name.jar", "dev.nvmeof.api;singleton:=true");
        Path scr = jar("scr.jar", "org.apache.felix.scr");

        BundleSource source = BundleSource.of("\n  " + scr + "\n  " + api + "\n");

        assertTrue(source.fromJars());
        assertEquals(api.toFile().toURI().toString(), ((ProvisionOption<?>) source.bundleNamed("dev.nvmeof.api")).getURL());
        assertEquals(scr.toFile().toURI().toString(), ((ProvisionOption<?>) source.bundleNamed("org.apache.felix.scr"))
                .getURL());
    }

    @Test
    void shouldNameABundleMissingFromTheListedJarsInsteadOfFetchingItElsewhere() throws IOException {
        BundleSource source = BundleSource.of(jar("api.jar", "dev.nvmeof.api").toString());

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> source.bundleNamed("dev.nvmeof.offload"));
        assertTrue(missing.getMessage().contains("no bundle dev.nvmeof.offload"), missing.getMessage());
    }

    @Test
    void shouldRefuseAListedJarThatIsNoBundle() throws IOException {
        String plain = jar("plain.jar", null).toString();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BundleSource.of(plain));
        assertTrue(refused.getMessage().contains("is not a bundle"), refused.getMessage());
    }

    @Test
    void shouldUseTheBuildsMavenCoordinatesOfEveryBundleWhenNoJarsAreListed() {
        BundleSource source = BundleSource.of("  ");
        List<String> all = new ArrayList<>(NvmeofOptions.RUNTIME);
        all.addAll(NvmeofOptions.STACK);

        assertFalse(source.fromJars());
        for (String symbolicName : all) {
            String gav = source.coordinatesOf(symbolicName);
            assertFalse(gav.contains("${"), symbolicName + " has no version from the build: " + gav);
            String[] parts = gav.split(":");
            assertEquals(3, parts.length, gav);
            assertEquals(symbolicName, parts[1], "artifactId = Bundle-SymbolicName");
            assertEquals("mvn:" + parts[0] + "/" + parts[1] + "/" + parts[2],
                    ((ProvisionOption<?>) source.bundleNamed(symbolicName)).getURL());
        }
        assertEquals("dev.nvmeof:dev.nvmeof.api:" + System.getProperty("project.version"),
                source.coordinatesOf("dev.nvmeof.api"));
    }
}
