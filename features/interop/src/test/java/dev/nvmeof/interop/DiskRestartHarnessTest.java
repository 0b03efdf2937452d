package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A disk image on the host is the guest's /dev/vda and keeps its data across {@link QemuGuest#restart()}. */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class DiskRestartHarnessTest {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final int SECTOR = 512;
    private static final int MARKER_SECTOR = 8;

    @Test
    void shouldKeepDataOnTheDiskImageWhenTheGuestIsRestarted() throws Exception {
        Path image = QemuGuest.createDisk(Path.of(System.getProperty("interop.output", "target/interop"),
                "disk-restart.img"), 16L << 20);
        String marker = "MARKER-" + UUID.randomUUID();

        try (QemuGuest guest = QemuGuest.builder().name("disk-restart").disk(image).start()) {
            guest.execOk("printf '%s' " + marker + " | dd of=/dev/vda bs=" + SECTOR + " seek=" + MARKER_SECTOR
                    + " conv=sync,fsync 2>&1", SHORT);
            int bootsBefore = guest.boots();

            guest.restart();

            assertTrue(guest.boots() > bootsBefore, "QEMU was started again");
            String read = guest.execOk("dd if=/dev/vda bs=" + SECTOR + " skip=" + MARKER_SECTOR
                    + " count=1 2>/dev/null | tr -d '\\000'", SHORT);
            assertEquals(marker + "\n", read, "the marker written before the restart");
        }
        byte[] onHost = Files.readAllBytes(image);
        String sector = new String(Arrays.copyOfRange(onHost, MARKER_SECTOR * SECTOR, MARKER_SECTOR * SECTOR
                + marker.length()), StandardCharsets.US_ASCII);
        assertEquals(marker, sector, "the marker is in the image file on the host");
    }
}
