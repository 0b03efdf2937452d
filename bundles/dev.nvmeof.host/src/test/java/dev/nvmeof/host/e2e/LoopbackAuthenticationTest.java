package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.SubsystemConfig;

/**
 * DH-HMAC-CHAP between our host and our target over loopback: every queue authenticates right after its Connect.
 * Every log line of host and target and every failure's message is scanned for the secrets afterwards.
 */
class LoopbackAuthenticationTest {
    private static final String HOST_NQN = "nqn.2024-01.dev.nvmeof:host-auth";
    private static final long SIZE = 1 << 20;

    private final SecureRandom random = new SecureRandom();
    private final DhchapSecret hostSecret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random);
    private final DhchapSecret controllerSecret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_512), 64, random);
    private final List<String> shown = new ArrayList<>();
    private LogWatch logs;
    private Loopback loopback;

    @BeforeEach
    void watch() {
        logs = LogWatch.on("dev.nvmeof", Level.ALL);
    }

    @AfterEach
    void stopAndScan() {
        if (loopback != null) {
            loopback.close();
        }
        try (LogWatch watched = logs) {
            shown.addAll(watched.messages());
            assertFalse(shown.isEmpty(), "the scan needs something to scan");
            for (DhchapSecret secret : List.of(hostSecret, controllerSecret)) {
                String text = secret.format();
                String key = text.substring("DHHC-1:00:".length(), text.length() - 1);
                for (String line : shown) {
                    assertFalse(line.contains(key), "a secret in: " + line);
                }
            }
        }
    }

    private void serve(List<DhchapHash> hashes, List<DhGroup> groups, boolean withControllerSecret)
            throws Exception {
        SubsystemAuthentication auth = SubsystemAuthentication.required(Map.of(HOST_NQN,
                new SubsystemAuthentication.HostSecrets(hostSecret.format(),
                        withControllerSecret ? controllerSecret.format() : null))).withAlgorithms(hashes, groups);
        loopback = Loopback.serving(SubsystemConfig.of(Loopback.NQN, NamespaceConfig.ram(1, SIZE, Loopback.BLOCK))
                .withAuthentication(auth));
    }

    private ConnectOptions options(String secrets) throws Exception {
        ConnectOptions options = loopback.options(",hostnqn=" + HOST_NQN + ",nr_io_queues=2" + secrets);
        shown.add(options.toString());
        return options;
    }

    @Test
    void shouldAuthenticateEveryQueueOneWayWithSha256AndNullGroup() throws Exception {
        serve(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL), false);

        NvmeController controller = loopback.host.connect(options(",dhchap_secret=" + hostSecret.format()));

        assertEquals(ControllerState.LIVE, controller.state());
        assertIoWorks(controller);
        logs.await("authenticated queue", 3, Duration.ofSeconds(10));
        assertEquals(3, logs.count("with SHA-256 and null"), "admin and both I/O queues");
    }

    @Test
    void shouldAuthenticateBothWaysWithSha512AndFfdhe3072() throws Exception {
        serve(List.of(DhchapHash.SHA_512), List.of(DhGroup.FFDHE3072), true);

        NvmeController controller = loopback.host.connect(options(",dhchap_secret=" + hostSecret.format()
                + ",dhchap_ctrl_secret=" + controllerSecret.format()));

        assertEquals(ControllerState.LIVE, controller.state());
        assertIoWorks(controller);
        logs.await("authenticated queue", 3, Duration.ofSeconds(10));
        assertEquals(3, logs.count("with SHA-512 and ffdhe3072"));
    }

    @Test
    void shouldReauthenticateEveryQueueOnRequestAndKeepServingIo() throws Exception {
        serve(List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048), true);
        NvmeController controller = loopback.host.connect(options(",dhchap_secret=" + hostSecret.format()
                + ",dhchap_ctrl_secret=" + controllerSecret.format()));
        logs.await("authenticated queue", 3, Duration.ofSeconds(10));
        BlockDevice device = controller.namespaces().get(0).device();
        List<java.util.concurrent.CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int i = 0; i < 64; i++) { // I/O outstanding while the queues authenticate again
            inFlight.add(device.read(i * 8L, ByteBuffer.allocate(4096)));
        }

        controller.reauthenticate();

        for (var io : inFlight) {
            io.get(10, TimeUnit.SECONDS);
        }
        logs.await("authenticated queue", 6, Duration.ofSeconds(10));
        assertEquals(ControllerState.LIVE, controller.state());
        assertIoWorks(controller);
    }

    @Test
    void shouldRefuseToReauthenticateAControllerConnectedWithoutASecret() throws Exception {
        loopback = Loopback.ram(SIZE);
        NvmeController controller = loopback.host.connect(options(""));

        NvmeException e = assertThrows(NvmeException.class, controller::reauthenticate);

        assertTrue(e.getMessage().contains("connected without dhchap_secret"), e.getMessage());
        assertEquals(ControllerState.LIVE, controller.state());
    }

    @Test
    void shouldFailConnectNamingAuthenticationWhenTheHostSecretIsWrong() throws Exception {
        serve(List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048), false);
        String wrong = DhchapSecret.generate(Optional.empty(), 32, random).format();

        NvmeStatusException e = assertThrows(NvmeStatusException.class,
                () -> loopback.host.connect(options(",dhchap_secret=" + wrong)));

        shown.add(e.getMessage());
        assertAuthenticationFailed(e, "Authentication failed");
        assertFalse(e.getMessage().contains(wrong.substring(10, 40)), e.getMessage());
        logs.await("authentication failed on queue 0", 1, Duration.ofSeconds(10));
    }

    @Test
    void shouldFailConnectWhenTheControllerCannotProveItsSecret() throws Exception {
        serve(List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE2048), true);
        String wrongController = DhchapSecret.generate(Optional.empty(), 64, random).format();

        NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> loopback.host.connect(
                options(",dhchap_secret=" + hostSecret.format() + ",dhchap_ctrl_secret=" + wrongController)));

        shown.add(e.getMessage());
        assertAuthenticationFailed(e, "controller's response does not verify");
        logs.await("the host sent AUTH_Failure2", 1, Duration.ofSeconds(10));
    }

    @Test
    void shouldFailConnectWhenAuthenticationIsRequiredAndNoSecretIsGiven() throws Exception {
        serve(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL), false);

        NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> loopback.host.connect(options("")));

        shown.add(e.getMessage());
        assertAuthenticationFailed(e, "no dhchap_secret");
    }

    @Test
    void shouldFailConnectWhenTheHostWantsTheControllerVerifiedAndTheTargetHasNoSecrets() throws Exception {
        loopback = Loopback.ram(SIZE);

        NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> loopback.host.connect(
                options(",dhchap_secret=" + hostSecret.format() + ",dhchap_ctrl_secret="
                        + controllerSecret.format())));

        shown.add(e.getMessage());
        assertAuthenticationFailed(e, "the controller answered Authentication");
        assertTrue(e.getMessage().contains("Command Sequence Error"), e.getMessage());
    }

    private static void assertAuthenticationFailed(NvmeStatusException e, String reason) {
        assertTrue(e.getMessage().contains("authentication failed on queue 0"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.status().is(CommandSpecificStatus.AUTHENTICATION_REQUIRED), e.status().toString());
        assertTrue(e.status().dnr());
    }

    private static void assertIoWorks(NvmeController controller) throws Exception {
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] data = new byte[8 * Loopback.BLOCK];
        new Random(15).nextBytes(data);
        device.write(8, ByteBuffer.wrap(data), false).get(10, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        device.read(8, back).get(10, TimeUnit.SECONDS);
        assertArrayEquals(data, back.array());
    }
}
