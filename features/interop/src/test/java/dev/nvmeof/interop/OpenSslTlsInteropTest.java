package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.tcp.IcReqPdu;
import dev.nvmeof.protocol.tcp.IcRespPdu;
import dev.nvmeof.protocol.tcp.PduEncoder;
import dev.nvmeof.protocol.tcp.PduFlags;
import dev.nvmeof.protocol.tcp.PduType;
import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskDerivation;
import dev.nvmeof.protocol.tls.TlsPskHash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVMe/TCP over TLS 1.3 with a PSK (TP 8011) against a TLS stack no one here wrote: Debian 12's OpenSSL 3.0
 * ({@code openssl s_server} and {@code s_client}, no guest), given the identity ({@code NVMe0R01 <hostnqn> <subnqn>})
 * and the TLS PSK our derivation makes from a configured key. OpenSSL completing the handshake with our host and
 * our target shows that both speak standard TLS 1.3 PSK and derive the PSK the way the identity promises;
 * the NVMe/TCP bytes OpenSSL decrypts (our ICReq, our ICResp) show the records carry the plain PDUs.
 *
 * <p>Only SHA-256 keys: openssl 3.0's {@code -psk} option builds a PSK session for TLS_AES_128_GCM_SHA256 only, so a
 * SHA-384 key (identity NVMe0R02, TLS_AES_256_GCM_SHA384) cannot be checked with it; {@code LoopbackTlsTest} (host
 * against target) and {@code NvmeCliTlsKeyConnectTest} cover SHA-384.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class OpenSslTlsInteropTest {
    private static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:3d6f9a52-1c7e-4b8a-a0e4-5f1d2c9b7e61";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, random);
    private DerivedTlsPsk derived;
    private LogRecorder log;

    @BeforeAll
    static void findOpenSsl() {
        OpenSslPeer.executable();
    }

    @BeforeEach
    void derive() {
        log = LogRecorder.start(System.Logger.Level.DEBUG);
        derived = TlsPskDerivation.derive(key, HOST_NQN, OurTlsTarget.NQN, 0, HkdfLabelEncoding.RFC_8446);
    }

    @AfterEach
    void forget() {
        log.close();
        derived.close();
        key.close();
    }

    /**
     * Our host's tcp transport against {@code s_server}: the handshake completes and s_server decrypts our ICReq.
     * s_server never answers it, so the test ends s_server once it has the ICReq, and our connect must then fail
     * as a dead connection (no waiting for the host's 10 s ICResp deadline).
     */
    @Test
    void shouldSendOurIcReqThroughATlsSessionOpenSslServerAccepts() throws Exception {
        assertEquals("NVMe0R01 " + HOST_NQN + " " + OurTlsTarget.NQN, derived.identity().text());
        try (OurHost host = new OurHost()) {
            CompletableFuture<NvmeController> connect;
            byte[] icReq;
            String session;
            try (OpenSslPeer server = OpenSslPeer.server(derived)) {
                int port = server.port(TIMEOUT);
                String options = OurHost.options(port, OurTlsTarget.NQN, "hostnqn=" + HOST_NQN + ",tls_key="
                        + key.format() + ",hdr_digest,data_digest,ctrl_loss_tmo=0");
                // On a daemon thread of its own: a connect that hung would not keep the test JVM alive.
                connect = CompletableFuture.supplyAsync(() -> {
                    try {
                        return host.connect(options);
                    } catch (NvmeException e) {
                        throw new CompletionException(e);
                    }
                }, task -> {
                    Thread thread = new Thread(task, "connect-to-openssl");
                    thread.setDaemon(true);
                    thread.start();
                });
                // s_server prints the session once the handshake is done, then what it decrypts, raw.
                int dataStart = server.awaitStdout(OpenSslTlsInteropTest::afterSessionLines, TIMEOUT,
                        "session lines after the handshake");
                byte[] printed = server.<byte[]>awaitStdout(
                        out -> out.length >= dataStart + IcReqPdu.LENGTH ? out : null, TIMEOUT,
                        "a 128-byte ICReq after the session lines");
                session = new String(printed, 0, dataStart, StandardCharsets.ISO_8859_1);
                icReq = Arrays.copyOfRange(printed, dataStart, dataStart + IcReqPdu.LENGTH);
            } // s_server ends here: our host's queue sees its connection close while it waits for the ICResp

            assertTrue(session.contains("CIPHER is " + OpenSslPeer.CIPHER_SUITE + "\n"), session);
            IcReqPdu pdu = new IcReqPdu().wrap(ByteBuffer.wrap(icReq).order(ByteOrder.LITTLE_ENDIAN), 0);
            assertEquals(PduType.IC_REQ.code(), pdu.typeCode());
            assertEquals(PduFlags.NONE, pdu.flags());
            assertEquals(IcReqPdu.LENGTH, pdu.hlen());
            assertEquals(0, pdu.pdo());
            assertEquals(IcReqPdu.LENGTH, pdu.plen());
            assertEquals(0, pdu.pfv());
            assertEquals(IcReqPdu.HDGST_ENABLE | IcReqPdu.DDGST_ENABLE, pdu.dgst(), "the digests we asked for");
            assertArrayEquals(new byte[IcReqPdu.LENGTH - 16], Arrays.copyOfRange(icReq, 16, IcReqPdu.LENGTH),
                    "reserved bytes");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> connect.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            Throwable cause = failed.getCause() instanceof CompletionException c ? c.getCause() : failed.getCause();
            assertInstanceOf(NvmeTransportException.class, cause, () -> "connect failed otherwise: " + cause);
            assertTrue(cause.getMessage().contains("the controller closed the connection"), cause.getMessage());
        }
    }

    /**
     * {@code s_client} against our target's TLS-required listener: it sends the ICReq we encode through the
     * session and decrypts our target's ICResp; the target logs the suite and the identity it accepted.
     */
    @Test
    void shouldAnswerAnIcReqFromOpenSslClientWithOurIcRespOverTls() throws Exception {
        try (OurTlsTarget ours = OurTlsTarget.start(dir, HOST_NQN, key.format());
                OpenSslPeer client = OpenSslPeer.client(ours.tlsPort(), derived.identity().text(),
                        derived.keyBytes())) {
            client.write(icReq(true, true));
            byte[] received = client.<byte[]>awaitStdout(out -> out.length >= IcRespPdu.LENGTH ? out : null,
                    TIMEOUT, "a 128-byte ICResp");
            byte[] icResp = Arrays.copyOf(received, IcRespPdu.LENGTH);

            IcRespPdu pdu = new IcRespPdu().wrap(ByteBuffer.wrap(icResp).order(ByteOrder.LITTLE_ENDIAN), 0);
            assertEquals(PduType.IC_RESP.code(), pdu.typeCode(), client::describe);
            assertEquals(PduFlags.NONE, pdu.flags());
            assertEquals(IcRespPdu.LENGTH, pdu.hlen());
            assertEquals(0, pdu.pdo());
            assertEquals(IcRespPdu.LENGTH, pdu.plen());
            assertEquals(0, pdu.pfv());
            assertEquals(0, pdu.cpda());
            assertTrue(pdu.headerDigest() && pdu.dataDigest(), "both digests granted");
            assertEquals(128 * 1024, pdu.maxH2cData());
            assertArrayEquals(new byte[IcRespPdu.LENGTH - 16], Arrays.copyOfRange(icResp, 16, IcRespPdu.LENGTH),
                    "reserved bytes");
            log.await("TLS from 127.0.0.1: " + OpenSslPeer.CIPHER_SUITE + ", identity " + derived.identity().text(),
                    TIMEOUT);
        }
    }

    /** A PSK other than the one the target derives for that identity: the handshake fails on both sides. */
    @Test
    void shouldFailTheHandshakeWithOpenSslClientWhenThePskDiffers() throws Exception {
        try (TlsPsk other = TlsPsk.generate(TlsPskHash.SHA_256, random);
                DerivedTlsPsk wrong = TlsPskDerivation.derive(other, HOST_NQN, OurTlsTarget.NQN, 0,
                        HkdfLabelEncoding.RFC_8446);
                OurTlsTarget ours = OurTlsTarget.start(dir, HOST_NQN, key.format());
                OpenSslPeer client = OpenSslPeer.client(ours.tlsPort(), derived.identity().text(),
                        wrong.keyBytes())) {
            assertEquals(derived.identity().text(), wrong.identity().text(), "same identity, other key");
            client.write(icReq(false, false));

            int status = client.awaitExit(TIMEOUT);

            assertNotEquals(0, status, client::describe);
            assertTrue(client.stderr().contains("decrypt error"), client::describe);
            assertEquals(0, client.stdout().length, "nothing decrypted: " + client.describe());
            log.await("TLS from 127.0.0.1 refused: TLS handshake failed: sent alert decrypt_error", TIMEOUT);
            assertEquals(0, ours.target.controllerCount());
        }
    }

    /** Where the data s_server received starts: after the line that ends its session print-out, else null. */
    private static Integer afterSessionLines(byte[] out) {
        String text = new String(out, StandardCharsets.ISO_8859_1);
        int renegotiation = text.indexOf("Secure Renegotiation IS");
        int end = renegotiation < 0 ? -1 : text.indexOf('\n', renegotiation);
        return end < 0 ? null : end + 1;
    }

    /** An ICReq as our encoder writes it: PFV 0, HPDA 0, MAXR2T 0, the digests asked for. */
    private static byte[] icReq(boolean headerDigest, boolean dataDigest) {
        ByteBuffer buffer = ByteBuffer.allocate(IcReqPdu.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new PduEncoder().icReq(buffer, 0, headerDigest, dataDigest, 0);
        return buffer.array();
    }
}
