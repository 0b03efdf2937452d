package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guest's kernel is chosen by series: Debian 12's 6.1 unless a test asks for another; 6.12 (bookworm-backports)
 * loads the DH-HMAC-CHAP modules, checked by name by the guest's init, and a required module that is not loaded fails
 * the boot at once with its name.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class GuestKernelHarnessTest {
    private static final Duration SHORT = Duration.ofSeconds(30);

    @Test
    void shouldBootTheAuthenticationKernelWithTheAuthenticationModulesLoadedByName() {
        try (QemuGuest guest = QemuGuest.builder().name("auth-kernel").kernel(QemuGuest.AUTHENTICATION_KERNEL)
                .start()) {
            assertTrue(guest.kernelRelease().startsWith("6.12."), guest.kernelRelease());
            assertEquals(guest.kernelRelease(), guest.execOk("uname -r", SHORT).strip());
            String console = guest.console();
            for (String line : new String[] {"module nvme-auth: loaded (nvme_auth)", "module nvme-keyring: loaded",
                "module nvme-tcp: loaded", "module nvmet-tcp: loaded", "module hmac: built in",
                "module sha256_generic: built in", "module sha512_generic: built in", "module dh_generic: built in"}) {
                assertTrue(console.contains("interop-init: " + line), () -> line + " in:\n" + console);
            }
            assertEquals("", guest.execOk("for m in nvme_auth nvme_core nvme_fabrics nvme_tcp nvmet nvmet_tcp;"
                    + " do [ -d /sys/module/$m ] || echo $m; done", SHORT), "modules missing in /sys/module");
            // The kernel's crypto API has what DH-HMAC-CHAP needs (hmac instances appear once used).
            String crypto = guest.execOk("grep '^name' /proc/crypto | sort -u", SHORT);
            for (String algorithm : new String[] {"sha256", "sha384", "sha512", "dh"}) {
                assertTrue(crypto.matches("(?s).*name\\s+: " + algorithm + "\\n.*"), () -> algorithm + ":\n" + crypto);
            }
        }
    }

    @Test
    void shouldFailTheBootAtOnceNamingARequiredModuleThatIsNotLoaded() {
        QemuGuest guest = QemuGuest.builder().name("missing-module").kernelArgs("guest_require=no_such_module")
                .build();
        try {
            GuestUnavailableException failure = assertThrows(GuestUnavailableException.class, guest::start);
            if (!failure.getMessage().contains("init failed")) {
                throw failure; // the harness itself is unavailable: InteropExtension skips (or fails in CI)
            }

            assertTrue(failure.getMessage().contains("required kernel modules not loaded in "
                    + QemuGuest.DEFAULT_KERNEL + "."), failure.getMessage());
            assertTrue(failure.getMessage().contains(": no_such_module"), failure.getMessage());
            assertEquals(1, guest.boots(), "no retry of a boot that cannot succeed");
        } finally {
            guest.close();
        }
    }
}
