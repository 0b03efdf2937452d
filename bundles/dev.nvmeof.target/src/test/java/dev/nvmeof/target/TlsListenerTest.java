package dev.nvmeof.target;

import static dev.nvmeof.target.TargetFixture.NQN;
import static dev.nvmeof.target.TargetFixture.assertIoWorks;
import static dev.nvmeof.target.TargetFixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvmeof.protocol.ConnectDataFlyweight;
import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskDerivation;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.testkit.ManualClock;
import dev.nvmeof.testkit.NvmeTcpTestClient;
import dev.nvmeof.tls.TlsHandshakeException;

/**
 * A TLS-required listener as a hostile or broken host meets it: a PSK admits only the host and subsystem its
 * identity names, and a handshake that stalls is closed at the handshake deadline. The test host speaks plain
 * NVMe/TCP through a {@link TlsRelay}, so it can put any NQN inside a real TLS session.
 */
class TlsListenerTest {
    private static final int SCT_COMMAND_SPECIFIC = 1;
    private static final int CONNECT_INVALID_HOST = 0x84;
    private static final int DYNAMIC = ConnectDataFlyweight.CNTLID_DYNAMIC;
    private static final String HOST = NvmeTcpTestClient.HOST_NQN;
    private static final String OTHER_HOST = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000ff";
    private static final String OTHER_SUBSYSTEM = "othernqn";
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
    private TlsPskKeyring keyring;
    private NvmeTarget target;
    private InetSocketAddress address;
    private TlsRelay relay;
    private final List<TlsRelay> extra = new ArrayList<>();
    private final List<DerivedTlsPsk> psks = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path file = dir.resolve("keys");
        Files.write(file, List.of(HOST + " " + NQN + " " + key.format()));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        keyring = TlsPskKeyring.read(file);
        target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(1).withClock(clock)
                .withHandshakeTimeout(HANDSHAKE));
        target.addSubsystem(TargetFixture.defaultSubsystem());
        target.addSubsystem(SubsystemConfig.of(OTHER_SUBSYSTEM, NamespaceConfig.ram(1, 1 << 20, 512)));
        address = target.listen(new InetSocketAddress("127.0.0.1", 0), ListenerSecurity.tlsRequired(keyring));
    }

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        for (TlsRelay r : extra) {
            r.close();
        }
        target.close();
        keyring.close();
        psks.forEach(DerivedTlsPsk::close);
    }

    /** A test host whose bytes go over TLS with the PSK of HOST for NQN. */
    private NvmeTcpTestClient overTls() throws IOException {
        relay = new TlsRelay(address, psk(key, HOST));
        return NvmeTcpTestClient.open(relay.address());
    }

    /** The TLS PSK of {@code host} for NQN; zeroed after the test (the relay's thread uses it). */
    private DerivedTlsPsk psk(TlsPsk configured, String host) {
        DerivedTlsPsk psk = TlsPskDerivation.derive(configured, host, NQN, 0, HkdfLabelEncoding.RFC_8446);
        psks.add(psk);
        return psk;
    }

    @Test
    void shouldServeTheHostAndSubsystemThePskNames() throws Exception {
        try (NvmeTcpTestClient admin = overTls()) {
            assertEquals("TLS_AES_128_GCM_SHA256", relay.handshake.get(10, TimeUnit.SECONDS).cipherSuite());
            int cntlid = admin.connectAndEnable(NQN, 0);
            try (NvmeTcpTestClient io = NvmeTcpTestClient.open(relayAgain())) {
                assertTrue(io.connect(NQN, 1, cntlid, 31, 0).ok());
                assertIoWorks(io, 7);
            }
        }
    }

    /** A second relay (queue) with the same PSK; the first stays for the admin queue. */
    private InetSocketAddress relayAgain() throws IOException {
        TlsRelay second = new TlsRelay(address, psk(key, HOST));
        extra.add(second);
        return second.address();
    }

    @Test
    void shouldRefuseAConnectForAnotherHostThanThePskIdentity() throws Exception {
        try (NvmeTcpTestClient admin = overTls()) {
            NvmeTcpTestClient.Completion c = admin.connect(NQN, OTHER_HOST, 0, DYNAMIC, 31, 0, 0);
            assertStatus(c, SCT_COMMAND_SPECIFIC, CONNECT_INVALID_HOST);
            assertTrue(c.dnr(), c.toString());
            assertEquals(0, target.controllerCount());
        }
    }

    @Test
    void shouldRefuseAConnectToAnotherSubsystemThanThePskIdentity() throws Exception {
        try (NvmeTcpTestClient admin = overTls()) {
            NvmeTcpTestClient.Completion c = admin.connect(OTHER_SUBSYSTEM, 0, DYNAMIC, 31, 0);
            assertStatus(c, SCT_COMMAND_SPECIFIC, CONNECT_INVALID_HOST);
            assertEquals(0, target.controllerCount());
        }
    }

    @Test
    void shouldFailTheHandshakeOfAHostWhoseKeyTheKeyringDoesNotHave() throws Exception {
        TlsPsk stranger = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        relay = new TlsRelay(address, psk(stranger, OTHER_HOST));
        try (Socket plain = new Socket()) {
            plain.connect(relay.address(), 10_000);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> relay.handshake.get(10, TimeUnit.SECONDS));
            TlsHandshakeException failure = (TlsHandshakeException) e.getCause();
            assertEquals(TlsHandshakeException.UNKNOWN_PSK_IDENTITY, failure.alert());
        }
    }

    @Test
    void shouldLogRefusedHandshakesAtMostOncePerIntervalWhateverAHostTries() throws Exception {
        java.util.logging.Logger targetLog = java.util.logging.Logger.getLogger("dev.nvmeof.target");
        List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler watcher = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("refused: TLS handshake failed")) {
                    refused.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        targetLog.addHandler(watcher);
        try {
            for (int i = 0; i < 10; i++) { // plain ICReqs on a TLS-only listener: each refused, none logged again
                try (Socket plain = new Socket()) {
                    plain.connect(address, 10_000);
                    plain.setSoTimeout(10_000);
                    plain.getOutputStream().write(new byte[128]);
                    assertEquals(-1, plain.getInputStream().read(), "closed by the target");
                }
            }
            target.checkDeadlines().get(10, TimeUnit.SECONDS);
            assertEquals(1, refused.size(), String.valueOf(refused)); // the clock did not move: one interval

            clock.advance(Duration.ofSeconds(11));
            try (Socket plain = new Socket()) {
                plain.connect(address, 10_000);
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write(new byte[128]);
                assertEquals(-1, plain.getInputStream().read());
            }
            assertEquals(2, refused.size(), String.valueOf(refused));
            assertTrue(refused.get(1).contains("(and 9 more like it since the last report)"), refused.get(1));
        } finally {
            targetLog.removeHandler(watcher);
        }
    }

    @Test
    void shouldCloseAConnectionWhoseHandshakeStallsAtTheHandshakeDeadline() throws Exception {
        try (Socket stalled = new Socket()) {
            stalled.connect(address, 10_000);
            stalled.setSoTimeout(10_000);
            // A TLS record header announcing a ClientHello of 200 bytes, and then nothing.
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8});
            stalled.getOutputStream().flush();
            // Each deadline check is a barrier on the loop: the accepted socket registers within a few of them.
            for (int i = 0; i < 1000 && target.connectionCount() == 0; i++) {
                target.checkDeadlines().get(10, TimeUnit.SECONDS);
            }
            target.checkDeadlines().get(10, TimeUnit.SECONDS);
            assertEquals(1, target.connectionCount(), "still within the deadline");

            clock.advance(HANDSHAKE.plusSeconds(1));
            target.checkDeadlines().get(10, TimeUnit.SECONDS);

            InputStream in = stalled.getInputStream();
            assertEquals(-1, in.read(), "closed by the target");
            assertEquals(0, target.connectionCount());
        }
    }
}
