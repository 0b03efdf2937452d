package dev.nvmeof.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The guest's kernel and initramfs for one kernel series (6.1, 6.12), built once per JVM and series by
 * {@code src/main/guest/build-guest.sh} (which itself skips the work when its outputs are up to date) into
 * {@code target/interop/guest/SERIES/}.
 */
final class GuestImage {
    private static final long BUILD_TIMEOUT_SECONDS = 180;
    private static final Map<String, GuestImage> BUILT = new HashMap<>();

    final String kernelSeries;
    final Path kernel;
    final Path initramfs;
    /** The installed kernel release the image boots ({@code uname -r}). */
    final String kernelRelease;

    private GuestImage(String kernelSeries, Path dir) throws IOException {
        this.kernelSeries = kernelSeries;
        this.kernel = dir.resolve("vmlinuz");
        this.initramfs = dir.resolve("initramfs.cpio.gz");
        this.kernelRelease = Files.readString(dir.resolve("kernel-version"), StandardCharsets.UTF_8).strip();
    }

    static synchronized GuestImage ensureBuilt(Path outputRoot, String kernelSeries) {
        GuestImage image = BUILT.get(kernelSeries);
        if (image != null) {
            return image;
        }
        Path script = Path.of(System.getProperty("interop.guest.script", "src/main/guest/build-guest.sh"))
                .toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new GuestUnavailableException("the guest builder " + script + " is missing");
        }
        Path dir = outputRoot.resolve("guest").resolve(kernelSeries).toAbsolutePath();
        Path log = outputRoot.resolve("guest-build-" + kernelSeries + ".log");
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder("bash", script.toString(), dir.toString(), kernelSeries)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GuestUnavailableException("building the guest took over " + BUILD_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new GuestUnavailableException("building the guest with kernel " + kernelSeries + " failed"
                        + " (install the Debian packages .ci/run lists): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            image = new GuestImage(kernelSeries, dir);
        } catch (IOException e) {
            throw new GuestUnavailableException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestUnavailableException("interrupted while building the guest", e);
        }
        BUILT.put(kernelSeries, image);
        return image;
    }
}
