package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.StatusCodeType;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DH-HMAC-CHAP with our host (the {@code tcp} transport, {@code dhchap_secret} and {@code dhchap_ctrl_secret})
 * against the Linux 6.12 kernel target, configured through nvmet's configfs per host ({@code dhchap_key},
 * {@code dhchap_ctrl_key}, {@code dhchap_hash}, {@code dhchap_dhgroup}) and allowed on the subsystem alone
 * ({@code allowed_hosts}). Our host offers every hash and group; the kernel chooses the ones configured. The host
 * secrets are nvme-cli's ({@code gen-dhchap-key} in the guest), the controller secrets ours, checked by nvme-cli's
 * {@code check-dhchap-key}. Each case uses a host NQN of its own.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class OurHostKernelTargetAuthenticationTest {
    private static final String NQN = "nqn.2024-01.dev.nvmeof:kernel-target-auth";
    private static final String HOST_NQN_PREFIX = "nqn.2024-01.dev.nvmeof:our-host-";
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration IO = Duration.ofSeconds(60);
    private static final int PATTERN_BYTES = 1 << 20;
    /**
     * What nvmet 6.12 logs when a host sends AUTH_Failure2 after DH-HMAC-CHAP_Success1: it expects _Success2 in that
     * step, takes the failure as an out-of-step message and ends the controller (never its "authentication failed").
     */
    private static final String KERNEL_TARGET_FAILURE = "nvmet: ctrl [0-9]+ fatal error occurred!";

    private static QemuGuest guest;
    private static NvmeCliKeys nvmeCli;
    private final SecureRandom random = new SecureRandom();
    private OurHost ours;

    @BeforeAll
    static void bootGuestWithKernelTarget() {
        guest = QemuGuest.builder().name("our-host-kernel-target-auth").cpus(1).ramDiskKiB(16 * 1024)
                .kernel(QemuGuest.AUTHENTICATION_KERNEL).kernelTarget().start();
        assertTrue(guest.kernelRelease().startsWith(QemuGuest.AUTHENTICATION_KERNEL + "."), guest.kernelRelease());
        guest.execOk(KernelTarget.setUp(NQN, "/dev/ram0"), SHORT);
        nvmeCli = NvmeCliKeys.in(guest);
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @BeforeEach
    void startHost() {
        guest.execOk("dmesg -c > /dev/null", SHORT);
        ours = new OurHost();
    }

    @AfterEach
    void stopHost() {
        if (ours != null) {
            ours.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}, bidirectional={2}")
    @CsvSource({"hmac(sha256), null, false", "hmac(sha256), null, true",
        "hmac(sha512), ffdhe2048, false", "hmac(sha512), ffdhe2048, true"})
    void shouldAuthenticateToTheKernelTargetThenWriteAndReadBack(String kernelHash, String dhGroup,
            boolean bidirectional) throws Exception {
        String hostNqn = HOST_NQN_PREFIX + kernelHash.replaceAll("[^a-z0-9]", "") + "-" + dhGroup
                + (bidirectional ? "-bi" : "-uni");
        String hostSecret = nvmeCli.generate(kernelHash.equals("hmac(sha256)") ? 1 : 3,
                kernelHash.equals("hmac(sha256)") ? 32 : 64, hostNqn);
        String controllerSecret = bidirectional ? checkedControllerSecret() : null;
        guest.execOk(KernelTarget.allowOnlyHostWithDhchap(NQN, hostNqn, hostSecret, controllerSecret, kernelHash,
                dhGroup), SHORT);

        NvmeController controller = ours.connect(OurHost.options(guest.hostPort(), NQN, "hostnqn=" + hostNqn
                + ",nr_io_queues=1,dhchap_secret=" + hostSecret
                + (bidirectional ? ",dhchap_ctrl_secret=" + controllerSecret : "")));

        assertEquals(ControllerState.LIVE, controller.state());
        String dmesg = guest.execOk("dmesg", SHORT);
        assertTrue(dmesg.contains("for subsystem " + NQN + " for NQN " + hostNqn + " with DH-HMAC-CHAP."), dmesg);
        assertFalse(dmesg.contains("mismatch") || dmesg.contains("authentication failed"), dmesg);
        writeAndReadBack(controller.namespaces().get(0).device());
        controller.disconnect();
        OurHost.assertGuestConnections(guest, 0);
    }

    /**
     * Secrets whose key length differs from the length of the hash that transforms them (the kernel takes them;
     * nvme-cli 2.3 makes none): Linux 6.12 keys the response HMAC with the whole transformed key, the hash's length,
     * as we do (kernels before the 2023 fix "nvme-auth: use transformed key size to create resp" cut it to the
     * secret's key length).
     */
    @Test
    void shouldAgreeWithTheKernelOnTheTransformedKeyWhenItsLengthDiffersFromTheSecretsKeyLength() throws Exception {
        String hostNqn = HOST_NQN_PREFIX + "transformed-key-length";
        try (DhchapSecret host = DhchapSecret.generate(Optional.of(DhchapHash.SHA_512), 32, random);
                DhchapSecret controller = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 64, random)) {
            assertEquals(64, host.transform(hostNqn).length, "the host's transformed key: SHA-512's length");
            assertEquals(32, controller.transform(NQN).length, "the controller's: SHA-256's length");
            guest.execOk(KernelTarget.allowOnlyHostWithDhchap(NQN, hostNqn, host.format(), controller.format(),
                    "hmac(sha384)", "null"), SHORT);

            NvmeController connected = ours.connect(OurHost.options(guest.hostPort(), NQN, "hostnqn=" + hostNqn
                    + ",nr_io_queues=1,dhchap_secret=" + host.format() + ",dhchap_ctrl_secret=" + controller.format()));

            assertEquals(ControllerState.LIVE, connected.state());
            String dmesg = guest.execOk("dmesg", SHORT);
            assertTrue(dmesg.contains("for NQN " + hostNqn + " with DH-HMAC-CHAP."), dmesg);
            writeAndReadBack(connected.namespaces().get(0).device());
            connected.disconnect();
            OurHost.assertGuestConnections(guest, 0);
        }
    }

    @Test
    void shouldFailWithAuthenticationFailedWhenTheKernelTargetHoldsAnotherHostSecret() {
        String hostNqn = HOST_NQN_PREFIX + "wrong-host-secret";
        String configured = nvmeCli.generate(1, 32, hostNqn);
        guest.execOk(KernelTarget.allowOnlyHostWithDhchap(NQN, hostNqn, configured, null, "hmac(sha256)", "null"),
                SHORT);
        String wrong = nvmeCli.generate(1, 32, hostNqn);

        NvmeStatusException failure = assertThrows(NvmeStatusException.class, () -> ours.connect(OurHost.options(
                guest.hostPort(), NQN, "hostnqn=" + hostNqn + ",nr_io_queues=1,dhchap_secret=" + wrong)));

        assertAuthenticationFailed(failure, wrong);
        String dmesg = guest.execOk("dmesg", SHORT);
        assertTrue(dmesg.contains("qid 0 host response mismatch"), dmesg);
        OurHost.assertGuestConnections(guest, 0);
    }

    @Test
    void shouldFailWithAuthenticationFailedWhenTheKernelTargetCannotProveTheControllerSecret() throws Exception {
        String hostNqn = HOST_NQN_PREFIX + "wrong-controller-secret";
        String hostSecret = nvmeCli.generate(3, 64, hostNqn);
        guest.execOk(KernelTarget.allowOnlyHostWithDhchap(NQN, hostNqn, hostSecret, checkedControllerSecret(),
                "hmac(sha512)", "ffdhe2048"), SHORT);
        String otherController = checkedControllerSecret();

        NvmeStatusException failure = assertThrows(NvmeStatusException.class, () -> ours.connect(OurHost.options(
                guest.hostPort(), NQN, "hostnqn=" + hostNqn + ",nr_io_queues=1,dhchap_secret=" + hostSecret
                        + ",dhchap_ctrl_secret=" + otherController)));

        assertAuthenticationFailed(failure, otherController);
        assertTrue(failure.getMessage().contains("the controller's response does not verify"),
                failure.getMessage());
        // Our host told the kernel with AUTH_Failure2 (explanation 01h, "failed"): nvmet ends the controller.
        String dmesg = guest.execOk("n=0; while ! dmesg | grep -qE '" + KERNEL_TARGET_FAILURE + "'"
                + " && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done; dmesg", SHORT);
        assertTrue(Pattern.compile(KERNEL_TARGET_FAILURE).matcher(dmesg).find(), dmesg);
        OurHost.assertGuestConnections(guest, 0);
    }

    /** A controller secret of ours (SHA-256 transformed) that nvme-cli's check-dhchap-key finds valid. */
    private String checkedControllerSecret() {
        try (DhchapSecret secret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random)) {
            String text = secret.format();
            assertEquals(new NvmeCliKeys.Check(1, 32, NvmeCliDhchapKeyTest.crcOf(text)), nvmeCli.check(text));
            return text;
        }
    }

    private static void assertAuthenticationFailed(NvmeStatusException failure, String secret) {
        assertEquals(StatusCodeType.COMMAND_SPECIFIC.code(), failure.status().sct(), failure.getMessage());
        assertEquals(CommandSpecificStatus.AUTHENTICATION_REQUIRED.code(), failure.status().sc(),
                failure.getMessage());
        assertTrue(failure.getMessage().startsWith("authentication failed on queue 0: "), failure.getMessage());
        String key = secret.substring("DHHC-1:00:".length(), secret.length() - 1);
        assertFalse(failure.getMessage().contains(key), "the secret in: " + failure.getMessage());
    }

    private static void writeAndReadBack(BlockDevice device) throws Exception {
        byte[] pattern = new byte[PATTERN_BYTES];
        new Random(0xa17L).nextBytes(pattern);
        device.write(0, ByteBuffer.allocateDirect(PATTERN_BYTES).put(pattern).flip(), true)
                .get(IO.toSeconds(), TimeUnit.SECONDS);
        ByteBuffer read = ByteBuffer.allocateDirect(PATTERN_BYTES);
        device.read(0, read).get(IO.toSeconds(), TimeUnit.SECONDS);
        byte[] back = new byte[PATTERN_BYTES];
        read.get(0, back);
        assertArrayEquals(pattern, back, "the pattern read back through the kernel target");
    }
}
