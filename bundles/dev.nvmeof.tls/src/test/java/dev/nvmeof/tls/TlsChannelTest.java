package dev.nvmeof.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.PskIdentity;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskDerivation;
import dev.nvmeof.protocol.tls.TlsPskHash;

/** Our client against our server over a loopback socket pair, both non-blocking, driven from this thread. */
class TlsChannelTest {
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:5a1f0e3c-7d2b-4c1e-9f00-0000000000aa";
    private static final String SUBSYSTEM = "nqn.2026-12.dev.nvmeof:tls-test";
    /** Handshake steps (each a non-blocking pass over both ends) before a test gives up: never reached when fine. */
    private static final int MAX_STEPS = 100_000;

    private SocketChannel clientSocket;
    private SocketChannel serverSocket;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            clientSocket = SocketChannel.open(listener.getLocalAddress());
            serverSocket = listener.accept();
        }
        clientSocket.configureBlocking(false);
        serverSocket.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        clientSocket.close();
        serverSocket.close();
    }

    private static DerivedTlsPsk derive(TlsPsk key, int version) {
        return TlsPskDerivation.derive(key, HOST, SUBSYSTEM, version, HkdfLabelEncoding.RFC_8446);
    }

    /** The target's side of a keyring holding {@code key} for HOST and SUBSYSTEM. */
    private static PskLookup lookupOf(TlsPsk key) {
        return identity -> {
            PskIdentity offered = PskIdentity.parse(identity);
            if (!offered.hostNqn().equals(HOST) || !offered.subsystemNqn().equals(SUBSYSTEM)
                    || offered.hash() != key.hash()) {
                return Optional.empty();
            }
            return Optional.of(derive(key, offered.version()));
        };
    }

    private static void handshake(TlsChannel client, TlsChannel server) throws IOException {
        boolean clientDone = false;
        boolean serverDone = false;
        for (int i = 0; i < MAX_STEPS && !(clientDone && serverDone); i++) {
            clientDone = client.handshake();
            serverDone = server.handshake();
        }
        assertTrue(clientDone && serverDone, "handshake did not complete");
    }

    @Test
    void shouldCarryDataBothWaysAfterASha256Handshake() throws IOException {
        TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(key, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, lookupOf(key));
            handshake(client, server);
            assertEquals("TLS_AES_128_GCM_SHA256", client.cipherSuite());
            assertEquals("TLS_AES_128_GCM_SHA256", server.cipherSuite());
            assertEquals("NVMe0R01 " + HOST + " " + SUBSYSTEM, server.identity());
            transfer(client, server, 1 << 20);
            transfer(server, client, 1 << 20);
        }
    }

    @Test
    void shouldChooseAes256ForASha384KeyWithAVersion1Identity() throws IOException {
        TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_384, new SecureRandom());
        try (DerivedTlsPsk psk = derive(key, 1)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, lookupOf(key));
            handshake(client, server);
            assertEquals("TLS_AES_256_GCM_SHA384", server.cipherSuite());
            assertTrue(server.identity().startsWith("NVMe1R02 " + HOST + " " + SUBSYSTEM + " "), server.identity());
            transfer(client, server, 300_000);
        }
    }

    @Test
    void shouldFailWithUnknownPskIdentityWhenTheTargetHasNoKeyForTheHost() throws IOException {
        TlsPsk hostKey = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(hostKey, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, identity -> Optional.empty());
            TlsHandshakeException serverSide = assertThrows(TlsHandshakeException.class,
                    () -> handshake(client, server));
            assertEquals(TlsHandshakeException.UNKNOWN_PSK_IDENTITY, serverSide.alert());
            assertTrue(serverSide.sent());
            assertTrue(serverSide.getMessage().contains("NVMe0R01 " + HOST), serverSide.getMessage());
            TlsHandshakeException clientSide = assertThrows(TlsHandshakeException.class, () -> drive(client));
            assertEquals(TlsHandshakeException.UNKNOWN_PSK_IDENTITY, clientSide.alert());
            assertFalse(clientSide.sent());
            assertTrue(clientSide.getMessage().contains("has no PSK for identity NVMe0R01 " + HOST),
                    clientSide.getMessage());
        }
    }

    @Test
    void shouldFailWithDecryptErrorWhenTheKeysDiffer() throws IOException {
        TlsPsk hostKey = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        TlsPsk targetKey = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(hostKey, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, lookupOf(targetKey));
            TlsHandshakeException serverSide = assertThrows(TlsHandshakeException.class,
                    () -> handshake(client, server));
            assertEquals(TlsHandshakeException.DECRYPT_ERROR, serverSide.alert());
            TlsHandshakeException clientSide = assertThrows(TlsHandshakeException.class, () -> drive(client));
            assertEquals(TlsHandshakeException.DECRYPT_ERROR, clientSide.alert());
            assertTrue(clientSide.getMessage().contains("differs from ours"), clientSide.getMessage());
            assertSecretAbsent(clientSide.getMessage() + serverSide.getMessage(), psk, hostKey, targetKey);
        }
    }

    @Test
    void shouldNameAPeerThatClosesDuringTheHandshake() throws IOException {
        TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(key, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            assertFalse(client.handshake());
            serverSocket.close();
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> drive(client));
            assertEquals(-1, e.alert());
            assertTrue(e.getMessage().contains("the connection broke during the handshake"), e.getMessage());
        }
    }

    @Test
    void shouldHoldRecordsTheSocketDidNotTakeUntilFlushed() throws IOException {
        TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(key, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, lookupOf(key));
            handshake(client, server);
            // The server does not read: the socket buffers fill, and the channel holds what they did not take.
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long taken = 0;
            for (int i = 0; i < 10_000 && !client.outputPending(); i++) {
                chunk.clear();
                taken += client.write(chunk);
            }
            assertTrue(client.outputPending());
            chunk.clear();
            assertEquals(0, client.write(chunk), "nothing more is taken while records wait");
            // The server reads everything; the held records go out with flushes.
            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            long received = 0;
            for (int i = 0; i < MAX_STEPS && received < taken; i++) {
                client.flushOutput();
                sink.clear();
                long n = server.read(sink);
                received += Math.max(n, 0);
            }
            assertEquals(taken, received);
            assertFalse(client.outputPending());
        }
    }

    @Test
    void shouldReadMinusOneAfterThePeerClosed() throws IOException {
        TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom());
        try (DerivedTlsPsk psk = derive(key, 0)) {
            TlsChannel client = TlsChannel.client(clientSocket, psk);
            TlsChannel server = TlsChannel.server(serverSocket, lookupOf(key));
            handshake(client, server);
            client.close();
            ByteBuffer sink = ByteBuffer.allocate(16);
            long n = 0;
            for (int i = 0; i < MAX_STEPS && n == 0; i++) {
                n = server.read(sink);
            }
            assertEquals(-1, n);
        }
    }

    /** Handshake steps on one end only, until it fails (or the bound). */
    private static void drive(TlsChannel channel) throws IOException {
        for (int i = 0; i < MAX_STEPS; i++) {
            channel.handshake();
        }
    }

    /** Writes {@code bytes} of random data through {@code from}, reads them from {@code to}, compares. */
    private static void transfer(TlsChannel from, TlsChannel to, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        new Random(bytes).nextBytes(data);
        ByteBuffer source = ByteBuffer.allocateDirect(bytes).put(data).flip();
        ByteBuffer sink = ByteBuffer.allocate(bytes);
        // Two destination buffers, as the host's scattering read uses them.
        ByteBuffer[] scatter = {sink.duplicate(), sink.duplicate()};
        for (int i = 0; i < MAX_STEPS && sink.hasRemaining(); i++) {
            if (source.hasRemaining()) {
                ByteBuffer[] gather = {source.slice().limit(Math.min(source.remaining(), 100)),
                        source.slice().position(Math.min(source.remaining(), 100))};
                long n = from.write(gather, 0, 2);
                source.position(source.position() + (int) n);
            } else {
                from.flushOutput();
            }
            int at = sink.position();
            scatter[0].limit(Math.min(bytes, at + 1000)).position(at);
            scatter[1].limit(bytes).position(Math.min(bytes, at + 1000));
            long n = to.read(scatter, 0, 2);
            if (n > 0) {
                sink.position(at + (int) n);
            }
        }
        assertFalse(sink.hasRemaining(), "not all data arrived");
        assertArrayEquals(data, sink.array());
    }

    private static void assertSecretAbsent(String text, DerivedTlsPsk psk, TlsPsk... keys) {
        assertFalse(text.contains(java.util.HexFormat.of().formatHex(psk.keyBytes())));
        for (TlsPsk key : keys) {
            assertFalse(text.contains(key.format()));
        }
    }
}
