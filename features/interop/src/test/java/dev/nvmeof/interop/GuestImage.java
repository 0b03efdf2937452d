package dev.nvmeof.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The guest's kernel and initramfs, built once per JVM by {@code src/main/guest/build-guest.sh} (which itself skips
 * the work when its outputs are up to date) into {@code target/interop/guest/}.
 */
final class GuestImage {
    private static final long BUILD_TIMEOUT_SECONDS = 180;
    private static GuestImage built;

    final Path kernel;
    final Path initramfs;

    private GuestImage(Path kernel, Path initramfs) {
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    static synchronized GuestImage ensureBuilt(Path outputRoot) {
        if (built != null) {
            return built;
        }
        Path script = Path.of(System.getProperty("interop.guest.script", "src/main/guest/build-guest.sh"))
                .toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new GuestUnavailableException("the guest builder " + script + " is missing");
        }
        Path dir = outputRoot.resolve("guest").toAbsolutePath();
        Path log = outputRoot.resolve("guest-build.log");
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder("bash", script.toString(), dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GuestUnavailableException("building the guest took over " + BUILD_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new GuestUnavailableException("building the guest failed (install the Debian packages .ci/run"
                        + " lists): " + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new GuestUnavailableException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestUnavailableException("interrupted while building the guest", e);
        }
        built = new GuestImage(dir.resolve("vmlinuz"), dir.resolve("initramfs.cpio.gz"));
        return built;
    }
}
