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
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.CompositeOption;
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
        all.addAll(NvmeofOptions.BOUNCYCASTLE);
        all.addAll(NvmeofOptions.STACK);

        assertFalse(source.fromJars());
        for (String symbolicName : all) {
            String gav = source.coordinatesOf(symbolicName);
            assertFalse(gav.contains("${"), symbolicName + " has no version from the build: " + gav);
            String[] parts = gav.split(":");
            assertEquals(3, parts.length, gav);
            // BouncyCastle's artifactIds name the JDK line its Bundle-SymbolicNames leave out.
            String artifactId = NvmeofOptions.BOUNCYCASTLE.contains(symbolicName) ? symbolicName + "-jdk18on"
                    : symbolicName;
            assertEquals(artifactId, parts[1], "artifactId = Bundle-SymbolicName");
            assertEquals("mvn:" + parts[0] + "/" + parts[1] + "/" + parts[2],
                    ((ProvisionOption<?>) source.bundleNamed(symbolicName)).getURL());
        }
        assertEquals("dev.nvmeof:dev.nvmeof.api:" + System.getProperty("project.version"),
                source.coordinatesOf("dev.nvmeof.api"));
        assertEquals("org.bouncycastle:bctls-jdk18on:" + System.getProperty("bouncycastle.version"),
                source.coordinatesOf("bctls"));
    }

    @Test
    void shouldProvisionBouncyCastleBeforeTheTlsBundleAndTheTlsBundleBeforeTheTargetAndTheTransport() {
        List<String> urls = new ArrayList<>();
        for (Option option : ((CompositeOption) NvmeofOptions.hostStack()).getOptions()) {
            if (option instanceof ProvisionOption<?> provision) {
                urls.add(provision.getURL());
            }
        }
        int tls = urls.indexOf("mvn:dev.nvmeof/dev.nvmeof.tls/" + System.getProperty("project.version"));
        assertTrue(tls >= 0, "dev.nvmeof.tls is not provisioned: " + urls);
        String bouncyCastle = System.getProperty("bouncycastle.version");
        for (String before : List.of("bcprov-jdk18on", "bcutil-jdk18on", "bctls-jdk18on")) {
            int index = urls.indexOf("mvn:org.bouncycastle/" + before + "/" + bouncyCastle);
            assertTrue(index >= 0 && index < tls, before + " is not provisioned before dev.nvmeof.tls: " + urls);
        }
        for (String after : List.of("dev.nvmeof.target", "dev.nvmeof.transport.tcp")) {
            int index = urls.indexOf("mvn:dev.nvmeof/" + after + "/" + System.getProperty("project.version"));
            assertTrue(index > tls, after + " is not provisioned after dev.nvmeof.tls: " + urls);
        }
    }
}
