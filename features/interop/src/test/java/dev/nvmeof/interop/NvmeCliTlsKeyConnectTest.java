package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS PSKs in the interchange format ({@code NVMeTLSkey-1}) between nvme-cli 2.3 on this machine (no guest) and
 * us: a key a user makes with {@code nvme gen-tls-key} runs our host against our target over TLS 1.3 (the key on
 * both sides, as a user configures it: the target's keyring file, the host's {@code tls_key=}), and nvme-cli's
 * {@code check-tls-key} accepts the keys we generate, with our CRC. (TlsPskTest holds fixed nvme-cli outputs; this
 * class runs nvme-cli, so a key of today's nvme-cli is proven usable end to end.)
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class NvmeCliTlsKeyConnectTest {
    private static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:8a1f0c3e-5b2d-4e7a-9c61-2d4b8f0e7a15";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static NvmeCliKeys nvmeCli;

    @TempDir
    Path dir;

    @BeforeAll
    static void findNvmeCli() {
        nvmeCli = NvmeCliKeys.onThisMachine();
    }

    @ParameterizedTest(name = "--hmac={0}: {1}")
    @CsvSource({"1, TLS_AES_128_GCM_SHA256", "2, TLS_AES_256_GCM_SHA384"})
    void shouldRunOurHostAgainstOurTargetOverTlsWithAKeyFromNvmeCliGenTlsKey(int hmac, String suite)
            throws Exception {
        String key = nvmeCli.generateTls(hmac);
        try (TlsPsk parsed = TlsPsk.parse(key)) {
            assertEquals(TlsPskHash.of(hmac), parsed.retainedHash());
            assertEquals(key, parsed.format(), "read and written back unchanged");
        }

        try (LogRecorder log = LogRecorder.start(System.Logger.Level.DEBUG);
                OurTlsTarget ours = OurTlsTarget.start(dir, HOST_NQN, key);
                OurHost host = new OurHost()) {
            NvmeController controller = host.connect(OurHost.options(ours.tlsPort(), OurTlsTarget.NQN,
                    "hostnqn=" + HOST_NQN + ",tls_key=" + key + ",nr_io_queues=1,hdr_digest,data_digest"));

            assertReadsBackWhatItWrote(controller.namespaces().get(0).device(), 64 * 1024, hmac);
            // One handshake per queue (admin, one I/O), each with the suite of the key's hash.
            String identity = "NVMe0R0" + hmac + " " + HOST_NQN + " " + OurTlsTarget.NQN;
            log.await("TLS from 127.0.0.1: " + suite + ", identity " + identity, TIMEOUT);
            assertEquals(2, log.containing("TLS from 127.0.0.1: " + suite + ", identity " + identity).size(),
                    () -> String.join("\n", log.lines()));
            controller.disconnect();
        }
    }

    @ParameterizedTest(name = "hash {0}")
    @ValueSource(ints = {1, 2})
    void shouldHaveNvmeCliAcceptEveryKindOfTlsKeyWeGenerate(int hmac) {
        TlsPskHash hash = TlsPskHash.of(hmac).orElseThrow();
        try (TlsPsk ours = TlsPsk.generate(hash, new SecureRandom())) {
            String key = ours.format();

            NvmeCliKeys.Check check = nvmeCli.checkTls(key);

            assertEquals(new NvmeCliKeys.Check(hmac, hash.length(), String.format("%08x", ours.crc32())), check,
                    key.substring(0, 16));
        }
    }

    private static void assertReadsBackWhatItWrote(BlockDevice device, int bytes, long seed) throws Exception {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        device.write(8, ByteBuffer.allocateDirect(bytes).put(data).flip(), false)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ByteBuffer read = ByteBuffer.allocateDirect(bytes);
        device.read(8, read).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        byte[] back = new byte[bytes];
        read.get(0, back);
        assertArrayEquals(data, back);
    }
}
