package dev.nvmeof.testkit.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.ops4j.pax.exam.Option;

/**
 * Where the bundles {@link NvmeofOptions} provisions come from, one rule for all of them:
 *
 * <ul>
 * <li>When the system property {@value #BUNDLES_PROPERTY} (or {@value #RUNTIME_PROPERTY}) is set, it lists jar paths
 * (whitespace-separated, e.g. from {@code maven-dependency-plugin:properties}); each bundle is found there by its
 * {@code Bundle-SymbolicName} and installed by {@code file:} URL. A bundle missing from the list is an error naming
 * it: mixing in a jar from elsewhere is how a stale build sneaks into a test. This is how our reactor runs (the jars of
 * {@code mvn verify}, nothing installed).</li>
 * <li>Otherwise every bundle is a {@code mvn:} URL at the version this jar was built with ({@code bundles.properties}),
 * resolved by pax-url from the {@code org.ops4j.pax.url.mvn.*} system properties (offline: the local repository
 * only). This is how a vendor's own build runs against our published bundles.</li>
 * </ul>
 */
final class BundleSource {
    static final String BUNDLES_PROPERTY = "nvmeof.bundles";
    static final String RUNTIME_PROPERTY = "nvmeof.runtime";

    private final Map<String, String> jarsBySymbolicName;
    private final Properties coordinates;

    private BundleSource(Map<String, String> jarsBySymbolicName, Properties coordinates) {
        this.jarsBySymbolicName = jarsBySymbolicName;
        this.coordinates = coordinates;
    }

    /** From the system properties as they are now. */
    static BundleSource fromSystemProperties() {
        return of(System.getProperty(RUNTIME_PROPERTY, "") + " " + System.getProperty(BUNDLES_PROPERTY, ""));
    }

    /** From these whitespace-separated jar paths; none: by Maven coordinates. */
    static BundleSource of(String listedJars) {
        Map<String, String> jars = new LinkedHashMap<>();
        Arrays.stream(listedJars.split("\\s+")).filter(path -> !path.isBlank())
                .forEach(path -> jars.put(symbolicName(path), path));
        return new BundleSource(jars, coordinates());
    }

    /** Whether bundles come from listed jars ({@code file:}) rather than Maven coordinates ({@code mvn:}). */
    boolean fromJars() {
        return !jarsBySymbolicName.isEmpty();
    }

    /** The provisioning option of the bundle named {@code symbolicName}, started. */
    Option bundleNamed(String symbolicName) {
        if (fromJars()) {
            String jar = jarsBySymbolicName.get(symbolicName);
            if (jar == null) {
                throw new IllegalStateException("no bundle " + symbolicName + " among the jars of the system properties "
                        + RUNTIME_PROPERTY + " and " + BUNDLES_PROPERTY + " (" + jarsBySymbolicName.keySet()
                        + "); add its path there");
            }
            return bundle(new File(jar).toURI().toString());
        }
        String[] gav = coordinatesOf(symbolicName).split(":");
        return mavenBundle(gav[0], gav[1], gav[2]);
    }

    /** {@code groupId:artifactId:version} of a bundle this jar knows, from the build that made it. */
    String coordinatesOf(String symbolicName) {
        String gav = coordinates.getProperty(symbolicName);
        if (gav == null) {
            throw new IllegalArgumentException("no coordinates for bundle " + symbolicName);
        }
        return gav;
    }

    private static Properties coordinates() {
        Properties properties = new Properties();
        try (InputStream in = BundleSource.class.getResourceAsStream("bundles.properties")) {
            if (in == null) {
                throw new IllegalStateException("bundles.properties is missing from " + BundleSource.class.getName()
                        + "'s jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The jar's {@code Bundle-SymbolicName}, without directives. */
    static String symbolicName(String jarPath) {
        try (JarFile jar = new JarFile(jarPath)) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null) {
                throw new IllegalArgumentException(jarPath + " is not a bundle (no Bundle-SymbolicName)");
            }
            return name.split(";")[0].trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jarPath, e);
        }
    }
}
