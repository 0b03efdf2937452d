package dev.nvmeof.host.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.SubsystemConfig;

/**
 * NVMe/TCP over TLS 1.3 with PSKs between our host and our target over loopback: every queue (admin and I/O) runs
 * its own handshake, I/O with digests goes through the records, and a wrong, unknown or missing key fails the
 * connect with a message that says which. Every log line and message is scanned for the keys afterwards.
 */
class LoopbackTlsTest {
    private static final String HOST_NQN = "nqn.2024-01.dev.nvmeof:host-tls";
    private static final long SIZE = 4 << 20;

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final TlsPsk sha256Key = TlsPsk.generate(TlsPskHash.SHA_256, random);
    private final TlsPsk sha384Key = TlsPsk.generate(TlsPskHash.SHA_384, random);
    private final TlsPsk otherKey = TlsPsk.generate(TlsPskHash.SHA_256, random);
    private final List<String> shown = new ArrayList<>();
    private TlsPskKeyring targetKeyring;
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
        if (targetKeyring != null) {
            targetKeyring.close();
        }
        try (LogWatch watched = logs) {
            shown.addAll(watched.messages());
            assertFalse(shown.isEmpty(), "the scan needs something to scan");
            for (TlsPsk key : List.of(sha256Key, sha384Key, otherKey)) {
                String text = key.format();
                String base64 = text.substring("NVMeTLSkey-1:01:".length(), text.length() - 1);
                for (String line : shown) {
                    assertFalse(line.contains(base64), "a key in: " + line);
                }
            }
        }
    }

    /** A keyring file of mode 600 with {@code lines}. */
    private Path keyring(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private void serve(ListenerSecurity.Tls tls, TlsPsk... keys) throws IOException {
        serve(SubsystemConfig.of(Loopback.NQN, NamespaceConfig.ram(1, SIZE, Loopback.BLOCK)), tls, keys);
    }

    private void serve(SubsystemConfig subsystem, ListenerSecurity.Tls tls, TlsPsk... keys) throws IOException {
        String[] lines = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            lines[i] = HOST_NQN + " " + Loopback.NQN + " " + keys[i].format();
        }
        targetKeyring = TlsPskKeyring.read(keyring("target-keys", lines));
        loopback = Loopback.serving(subsystem, new ListenerSecurity(tls, targetKeyring));
    }

    private ConnectOptions options(String extra) throws InvalidOptionException {
        ConnectOptions options = loopback.options(",hostnqn=" + HOST_NQN + ",nr_io_queues=2" + extra);
        shown.add(options.toString());
        return options;
    }

    @Test
    void shouldRunEveryQueueOverTlsWithASha256KeyAndDigests() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha256Key);

        NvmeController controller = loopback.host.connect(options(",tls_key=" + sha256Key.format()
                + ",hdr_digest,data_digest"));

        assertEquals(ControllerState.LIVE, controller.state());
        assertIoWorks(controller, 8 * Loopback.BLOCK);
        assertIoWorks(controller, 256 * 1024); // two C2HData PDUs of 128 KiB in many records
        logs.await("TLS_AES_128_GCM_SHA256, identity NVMe0R01 " + HOST_NQN + " " + Loopback.NQN, 3,
                Duration.ofSeconds(10));
    }

    @Test
    void shouldHandshakeAndAuthenticateEveryQueueAgainWhenTheConnectionsComeBack() throws Exception {
        String secret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random).format();
        SubsystemConfig subsystem = SubsystemConfig.of(Loopback.NQN, NamespaceConfig.file(1, dir.resolve("ns1.img"),
                SIZE, Loopback.BLOCK)).withAuthentication(SubsystemAuthentication.required(Map.of(HOST_NQN,
                        new SubsystemAuthentication.HostSecrets(secret, null))));
        serve(subsystem, ListenerSecurity.Tls.REQUIRED, sha256Key);
        NvmeController controller = loopback.host.connect(options(",tls_key=" + sha256Key.format()
                + ",dhchap_secret=" + secret + ",hdr_digest,reconnect_delay=1,ctrl_loss_tmo=30"));
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] first = new byte[64 * 1024];
        byte[] second = new byte[64 * 1024];
        new Random(11).nextBytes(first);
        new Random(12).nextBytes(second);
        device.write(0, ByteBuffer.wrap(first), false).get(10, TimeUnit.SECONDS);

        loopback.target.removeSubsystem(Loopback.NQN); // the target closes every queue's connection
        logs.await("error recovery", 1, Duration.ofSeconds(10));
        CompletableFuture<Void> during = device.write(1024, ByteBuffer.wrap(second), false); // held meanwhile
        loopback.target.addSubsystem(subsystem);
        during.get(20, TimeUnit.SECONDS);

        assertEquals(ControllerState.LIVE, controller.state());
        ByteBuffer back = ByteBuffer.allocate(first.length);
        device.read(0, back).get(10, TimeUnit.SECONDS);
        assertArrayEquals(first, back.array());
        device.read(1024, back.clear()).get(10, TimeUnit.SECONDS);
        assertArrayEquals(second, back.array());
        // Admin and two I/O queues, before and after: each a TLS handshake and then DH-HMAC-CHAP.
        logs.await("TLS_AES_128_GCM_SHA256, identity NVMe0R01 " + HOST_NQN + " " + Loopback.NQN, 6,
                Duration.ofSeconds(10));
        logs.await("authenticated queue", 6, Duration.ofSeconds(10));
        String body = secret.substring("DHHC-1:01:".length(), secret.length() - 1);
        for (String line : logs.messages()) {
            assertFalse(line.contains(body), "a DH-HMAC-CHAP secret in: " + line);
        }
    }

    @Test
    void shouldTakeASha384KeyFromTheHostKeyringAndNegotiateAes256() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha384Key);
        Path hostKeys = keyring("host-keys", "# the host's TLS PSKs",
                HOST_NQN + " " + Loopback.NQN + " " + sha384Key.format());

        NvmeController controller = loopback.host.connect(options(",tls,keyring=" + hostKeys));

        assertIoWorks(controller, 64 * 1024);
        logs.await("TLS_AES_256_GCM_SHA384, identity NVMe0R02 " + HOST_NQN, 3, Duration.ofSeconds(10));
    }

    @Test
    void shouldFailConnectSayingThePsksDifferWhenTheKeyIsWrong() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha256Key);

        NvmeTransportException e = assertThrows(NvmeTransportException.class,
                () -> loopback.host.connect(options(",tls_key=" + otherKey.format())));

        shown.add(e.getMessage());
        assertTrue(e.getMessage().contains("PSK for identity NVMe0R01 " + HOST_NQN + " " + Loopback.NQN
                + " differs from ours"), e.getMessage());
        assertTrue(e.getMessage().contains("check the TLS key"), e.getMessage());
        logs.await("refused: TLS handshake failed: sent alert decrypt_error", 1, Duration.ofSeconds(10));
    }

    @Test
    void shouldFailConnectSayingTheTargetHasNoKeyForThisHost() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha384Key); // a SHA-384 key only: no match for a SHA-256 identity

        NvmeTransportException e = assertThrows(NvmeTransportException.class,
                () -> loopback.host.connect(options(",tls_key=" + sha256Key.format())));

        shown.add(e.getMessage());
        assertTrue(e.getMessage().contains("the peer has no PSK for identity NVMe0R01 " + HOST_NQN),
                e.getMessage());
    }

    @Test
    void shouldRefuseAPlainHostOnATlsOnlyListener() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha256Key);

        assertThrows(NvmeException.class, () -> loopback.host.connect(options(",ctrl_loss_tmo=0")));
        logs.await("refused: TLS handshake failed: the peer does not speak TLS (its first byte 0x00 starts no TLS"
                + " record but an NVMe/TCP PDU: a peer without TLS)", 1, Duration.ofSeconds(10));
        assertEquals(0, loopback.target.controllerCount());
    }

    @Test
    void shouldNameATlsHostThatMeetsAPlainListener() throws Exception {
        serve(ListenerSecurity.Tls.NONE);

        NvmeTransportException e = assertThrows(NvmeTransportException.class,
                () -> loopback.host.connect(options(",tls_key=" + sha256Key.format())));

        shown.add(e.getMessage());
        // Our target answers the ClientHello with a TermReq (PDU type 3) and closes.
        assertTrue(e.getMessage().contains("the peer does not speak TLS (its first byte 0x03 starts no TLS record"
                + " but an NVMe/TCP PDU: a peer without TLS)"), e.getMessage());
    }

    @Test
    void shouldServeTlsAndPlainHostsOnAListenerThatAllowsBoth() throws Exception {
        serve(ListenerSecurity.Tls.ALLOWED, sha256Key);

        NvmeController overTls = loopback.host.connect(options(",tls_key=" + sha256Key.format()));
        assertIoWorks(overTls, 4096);
        overTls.disconnect();
        NvmeController plain = loopback.host.connect(options(""));
        assertIoWorks(plain, 4096);

        assertEquals(3, logs.count("TLS_AES_128_GCM_SHA256, identity NVMe0R01"), "the TLS controller's queues only");
    }

    @Test
    void shouldRefuseTlsWithoutAKeyAndAKeyringWithoutThisHost() throws Exception {
        serve(ListenerSecurity.Tls.REQUIRED, sha256Key);
        Path otherHosts = keyring("other-keys", "nqn.2024-01.dev.nvmeof:someone-else " + Loopback.NQN + " "
                + sha256Key.format());

        InvalidOptionException noKey = assertThrows(InvalidOptionException.class,
                () -> loopback.host.connect(options(",tls")));
        InvalidOptionException notListed = assertThrows(InvalidOptionException.class,
                () -> loopback.host.connect(options(",tls,keyring=" + otherHosts)));

        shown.add(noKey.getMessage());
        shown.add(notListed.getMessage());
        assertTrue(noKey.getMessage().contains("needs a key: tls_key=NVMeTLSkey-1:.. or keyring=<file>"),
                noKey.getMessage());
        assertTrue(notListed.getMessage().contains("has no TLS key for host " + HOST_NQN), notListed.getMessage());
    }

    private static void assertIoWorks(NvmeController controller, int bytes) throws Exception {
        BlockDevice device = controller.namespaces().get(0).device();
        byte[] data = new byte[bytes];
        new Random(bytes).nextBytes(data);
        device.write(8, ByteBuffer.wrap(data), false).get(10, TimeUnit.SECONDS);
        ByteBuffer back = ByteBuffer.allocate(data.length);
        device.read(8, back).get(10, TimeUnit.SECONDS);
        assertArrayEquals(data, back.array());
    }
}
