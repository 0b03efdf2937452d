package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.SubsystemConfig;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * DH-HMAC-CHAP with the Linux 6.12 kernel host ({@code nvme connect --dhchap-secret [--dhchap-ctrl-secret]} of
 * nvme-cli 2.3 in the guest) against our target, whose policy per subsystem leaves the kernel one hash and one DH
 * group: SHA-256 with the null group (plain HMAC-CHAP) and SHA-512 with ffdhe3072. The kernel judges the controller's
 * half (our challenge, and our response when it asks for one), our target the host's; then the kernel writes and reads
 * back a pattern. The secrets are nvme-cli's ({@code gen-dhchap-key} in the guest), but for one controller secret of
 * ours that nvme-cli's {@code check-dhchap-key} checked.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class KernelHostOurTargetAuthenticationTest {

    /** A subsystem of our target that allows the guest's host one hash and one DH group. */
    enum Policy {
        SHA256_NULL("nqn.2024-01.dev.nvmeof:auth-sha256-null", DhchapHash.SHA_256, DhGroup.NULL, "hmac(sha256)"),
        SHA512_FFDHE3072("nqn.2024-01.dev.nvmeof:auth-sha512-ffdhe3072", DhchapHash.SHA_512, DhGroup.FFDHE3072,
                "hmac(sha512)");

        final String nqn;
        final DhchapHash hash;
        final DhGroup group;
        /** How the kernel names the hash in "qid 0: authenticated with hash ... dhgroup ...". */
        final String kernelHash;

        Policy(String nqn, DhchapHash hash, DhGroup group, String kernelHash) {
            this.nqn = nqn;
            this.hash = hash;
            this.group = group;
            this.kernelHash = kernelHash;
        }
    }

    /** The secrets our target holds for the guest's host on one subsystem. */
    record Secrets(String host, String controller) {
    }

    /** A subsystem (SHA-384, ffdhe2048) whose secrets' key lengths differ from their transformation hashes'. */
    static final String UNEVEN_NQN = "nqn.2024-01.dev.nvmeof:auth-sha384-ffdhe2048-uneven-keys";

    private static final Map<Policy, Secrets> SECRETS = new EnumMap<>(Policy.class);
    private static Secrets unevenSecrets;
    private static LogRecorder targetLog;
    private static OurTargetRig rig;
    private static NvmeCliKeys nvmeCli;
    private static String hostNqn;
    private static String hostId;

    @BeforeAll
    static void startTargetAndGuest() throws Exception {
        targetLog = LogRecorder.start();
        rig = OurTargetRig.start("kernel-host-our-target-auth", 1, QemuGuest.AUTHENTICATION_KERNEL);
        assertTrue(rig.guest.kernelRelease().startsWith(QemuGuest.AUTHENTICATION_KERNEL + "."),
                rig.guest.kernelRelease());
        rig.guest.execOk("[ -d /sys/module/nvme_auth ]", OurTargetRig.SHORT);
        hostNqn = rig.guest.execOk("cat /etc/nvme/hostnqn", OurTargetRig.SHORT).strip();
        hostId = rig.guest.execOk("cat /etc/nvme/hostid", OurTargetRig.SHORT).strip();
        nvmeCli = NvmeCliKeys.in(rig.guest);

        SECRETS.put(Policy.SHA256_NULL, new Secrets(nvmeCli.generate(1, 32, hostNqn),
                nvmeCli.generate(0, 32, Policy.SHA256_NULL.nqn)));
        try (DhchapSecret ours = DhchapSecret.generate(Optional.of(DhchapHash.SHA_384), 48, new SecureRandom())) {
            String controller = ours.format();
            assertEquals(new NvmeCliKeys.Check(2, 48, NvmeCliDhchapKeyTest.crcOf(controller)),
                    nvmeCli.check(controller), "nvme-cli on our controller secret");
            SECRETS.put(Policy.SHA512_FFDHE3072, new Secrets(nvmeCli.generate(3, 64, hostNqn), controller));
        }
        try (DhchapSecret host = DhchapSecret.generate(Optional.of(DhchapHash.SHA_512), 32, new SecureRandom());
                DhchapSecret controller = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 64,
                        new SecureRandom())) {
            unevenSecrets = new Secrets(host.format(), controller.format());
        }
        rig.target.addSubsystem(SubsystemConfig.of(UNEVEN_NQN, NamespaceConfig.ram(1, 8L << 20, 512))
                .withAuthentication(SubsystemAuthentication.required(Map.of(hostNqn,
                        new SubsystemAuthentication.HostSecrets(unevenSecrets.host(), unevenSecrets.controller())))
                        .withAlgorithms(List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048))));
        for (Policy policy : Policy.values()) {
            Secrets secrets = SECRETS.get(policy);
            rig.target.addSubsystem(SubsystemConfig.of(policy.nqn, NamespaceConfig.ram(1, 8L << 20, 512))
                    .withAuthentication(SubsystemAuthentication.required(Map.of(hostNqn,
                            new SubsystemAuthentication.HostSecrets(secrets.host(), secrets.controller())))
                            .withAlgorithms(List.of(policy.hash), List.of(policy.group))));
        }
    }

    @BeforeEach
    void clearLogs() {
        rig.guest.execOk("dmesg -c > /dev/null", OurTargetRig.SHORT);
        targetLog.clear();
    }

    @AfterEach
    void leaveNoController() {
        if (rig != null) {
            rig.disconnectAll();
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (rig != null) {
                rig.close();
            }
        } finally {
            if (targetLog != null) {
                targetLog.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}, bidirectional={1}")
    @CsvSource({"SHA256_NULL, false", "SHA256_NULL, true", "SHA512_FFDHE3072, false", "SHA512_FFDHE3072, true"})
    void shouldAuthenticateTheKernelHostAndServeItsIo(Policy policy, boolean bidirectional) {
        Secrets secrets = SECRETS.get(policy);
        String options = "--dhchap-secret=" + secrets.host()
                + (bidirectional ? " --dhchap-ctrl-secret=" + secrets.controller() : "");

        QemuGuest.ExecResult connect = rig.connect(policy.nqn, options);

        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        String device = rig.awaitNamespaceDevice();
        rig.writeAndReadBackPattern(device);
        String dmesg = rig.dmesg();
        assertTrue(dmesg.contains("qid 0: authenticated with hash " + policy.kernelHash + " dhgroup "
                + policy.group.groupName()), dmesg);
        assertEquals(bidirectional, dmesg.contains("qid 0: controller authenticated"), dmesg);
        assertFalse(dmesg.contains("authentication failed"), dmesg);
        // Our target: the admin queue and the I/O queue (one CPU) each authenticated with the policy's algorithms.
        for (int qid = 0; qid <= 1; qid++) {
            String line = "authenticated queue " + qid + " of " + hostNqn + " on " + policy.nqn + " with "
                    + policy.hash + " and " + policy.group;
            assertEquals(1, targetLog.containing(line).size(), () -> line + " in " + targetLog.lines());
        }
        assertEquals(List.of(), targetLog.containing("authentication failed"));
        rig.disconnectAndAwaitNoController(policy.nqn);
    }

    /**
     * Secrets whose key length differs from their transformation hash's (32 bytes under SHA-512, 64 under SHA-256):
     * nvme-cli refuses them, the kernel takes them (here straight through {@code /dev/nvme-fabrics}), and Linux 6.12
     * keys the response HMAC with the whole transformed key, as our target does.
     */
    @Test
    void shouldAgreeWithTheKernelHostOnTheTransformedKeyWhenItsLengthDiffersFromTheSecretsKeyLength() {
        assertTrue(nvmeCli.checkRefuses(unevenSecrets.host()).contains("Invalid key length"));

        QemuGuest.ExecResult connect = rig.guest.exec("exec 3<>/dev/nvme-fabrics; echo 'transport=tcp,traddr="
                + QemuGuest.HOST_ALIAS + ",trsvcid=" + QemuGuest.NVME_TCP_PORT + ",nqn=" + UNEVEN_NQN + ",hostnqn="
                + hostNqn + ",hostid=" + hostId + ",nr_io_queues=1,dhchap_secret=" + unevenSecrets.host() + ",dhchap_ctrl_secret="
                + unevenSecrets.controller() + "' >&3 && cat <&3", OurTargetRig.SHORT);

        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        rig.writeAndReadBackPattern(rig.awaitNamespaceDevice());
        String dmesg = rig.dmesg();
        assertTrue(dmesg.contains("qid 0: authenticated with hash hmac(sha384) dhgroup ffdhe2048"), dmesg);
        assertTrue(dmesg.contains("qid 0: controller authenticated"), dmesg);
        assertEquals(2, targetLog.containing(" of " + hostNqn + " on " + UNEVEN_NQN + " with SHA-384 and ffdhe2048")
                .size(), () -> targetLog.lines().toString());
        rig.disconnectAndAwaitNoController(UNEVEN_NQN);
    }

    @Test
    void shouldRefuseTheKernelHostWhenItsSecretIsWrong() {
        String wrong = nvmeCli.generate(1, 32, hostNqn);
        assertNotEquals(SECRETS.get(Policy.SHA256_NULL).host(), wrong);

        QemuGuest.ExecResult connect = rig.connect(Policy.SHA256_NULL.nqn, "--dhchap-secret=" + wrong);

        assertNotEquals(0, connect.exitStatus(), connect.output());
        awaitConsole("qid 0: authentication failed");
        String dmesg = rig.dmesg();
        assertFalse(dmesg.contains("qid 0: authenticated with hash"), dmesg);
        List<String> failures = targetLog.containing("authentication failed on queue 0 of " + hostNqn + " on "
                + Policy.SHA256_NULL.nqn + ": Authentication failed: the host's response does not verify");
        assertEquals(1, failures.size(), () -> targetLog.lines().toString());
        assertTrue(failures.get(0).startsWith("WARNING dev.nvmeof.target"), failures.get(0));
        assertNoControllerAnywhere();
    }

    @Test
    void shouldHaveTheKernelHostRefuseOurTargetWhenItHoldsAnotherControllerSecret() {
        String otherController = nvmeCli.generate(0, 32, Policy.SHA512_FFDHE3072.nqn);

        QemuGuest.ExecResult connect = rig.connect(Policy.SHA512_FFDHE3072.nqn, "--dhchap-secret="
                + SECRETS.get(Policy.SHA512_FFDHE3072).host() + " --dhchap-ctrl-secret=" + otherController);

        assertNotEquals(0, connect.exitStatus(), connect.output());
        awaitConsole("qid 0: controller authentication failed");
        String dmesg = rig.dmesg();
        assertFalse(dmesg.contains("qid 0: controller authenticated"), dmesg);
        // The host proved itself; then it reported our response as wrong with AUTH_Failure2.
        assertEquals(1, targetLog.containing("authentication failed on queue 0 of " + hostNqn + " on "
                + Policy.SHA512_FFDHE3072.nqn).size(), () -> targetLog.lines().toString());
        assertNoControllerAnywhere();
    }

    /** Waits (bounded) until the guest's kernel logged {@code text}, then asserts its console shows it. */
    private static void awaitConsole(String text) {
        rig.guest.exec("n=0; while ! dmesg | grep -qF '" + text + "' && [ $n -lt 100 ]; do sleep 0.1;"
                + " n=$((n + 1)); done", OurTargetRig.SHORT);
        String console = rig.guest.console();
        assertTrue(console.contains(text), () -> "no \"" + text + "\" on the guest's console:\n" + console);
    }

    private static void assertNoControllerAnywhere() {
        assertEquals("0", rig.guest.execOk("n=0; while [ -n \"$(ls /sys/class/nvme/)\" ] && [ $n -lt 50 ]; do"
                + " sleep 0.1; n=$((n + 1)); done; ls /sys/class/nvme/ | wc -l", OurTargetRig.SHORT).strip(),
                "controllers left in the guest");
        rig.awaitTarget("controllers after a failed authentication", rig.target::controllerCount, 0);
        rig.awaitTarget("connections after a failed authentication", rig.target::connectionCount, 0);
    }
}
