package dev.nvmeof.protocol.auth;

import static dev.nvmeof.protocol.auth.DhchapSecretTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every expected value is printed by {@code src/test/resources/dev/nvmeof/protocol/auth/derive_vectors.py}, Python's
 * hashlib/hmac/pow following the algorithm of Linux's drivers/nvme/common/auth.c and drivers/nvme/host/auth.c,
 * written apart from the Java code. Its host key transformation also equals nvme-cli 2.3's (see
 * {@link DhchapSecretTest}).
 */
class DhchapResponseTest {

    static final String HOST_NQN = DhchapSecretTest.NQN;
    static final String SUBSYS_NQN = "nqn.2024-01.dev.nvmeof:test";
    static final int T = 0x1234;
    static final long S1 = 0x01020304L;
    static final long S2 = 0x0A0B0C0DL;

    private final DhchapSecret hostSecret = DhchapSecret.of(DhchapSecretTest.counting(32),
            Optional.of(DhchapHash.SHA_256));
    private final DhchapSecret controllerSecret = DhchapSecret.of(range(32, 32), Optional.empty());

    @Test
    void shouldMatchDerivedTransformedHostKey() {
        assertArrayEquals(hex("6c7b81cb2a746f74454b1d7140f3153b51ca99459fcef7a86a17f27695b87cd8"),
                hostSecret.transform(HOST_NQN));
    }

    @Test
    void shouldMatchDerivedResponsesWhenNullGroupAndSha256() {
        byte[] c1 = range(0xA0, 32);
        byte[] c2 = range(0xC0, 32);

        byte[] r1 = DhchapResponse.host(DhchapHash.SHA_256, hostSecret.transform(HOST_NQN), c1, S1, T, HOST_NQN,
                SUBSYS_NQN);
        byte[] r2 = DhchapResponse.controller(DhchapHash.SHA_256, controllerSecret.transform(SUBSYS_NQN), c2, S2, T,
                HOST_NQN, SUBSYS_NQN);

        assertArrayEquals(hex("50032e05f9bc54e6664ea3d6819f4123b7ac9e66fde7e1dd0772c14bc62efbfa"), r1);
        assertArrayEquals(hex("cf5f1d6ac892fb31a216d576dc54a0f13dd08b169136682cc7060d33bb727d0f"), r2);
    }

    @Test
    void shouldMatchDerivedResponsesWhenFfdhe2048AndSha384() throws Exception {
        DhGroup group = DhGroup.FFDHE2048;
        DhKeyExchange host = DhKeyExchange.withPrivateExponent(group, new BigInteger("1234567890ABCDEF".repeat(4), 16));
        DhKeyExchange controller = DhKeyExchange.withPrivateExponent(group,
                new BigInteger("FEDCBA0987654321".repeat(4), 16));
        byte[] shared = host.sharedSecret(controller.publicValue());
        assertArrayEquals(hex("192b4706017a7ed5f12530b8d23dece1dfe58a4a02d0a99f931d33cd013a46a1"),
                MessageDigest.getInstance("SHA-256").digest(shared));
        assertArrayEquals(shared, controller.sharedSecret(host.publicValue()));

        byte[] ca = DhchapResponse.augmentChallenge(DhchapHash.SHA_384, shared, range(0x10, 48));
        byte[] cb = DhchapResponse.augmentChallenge(DhchapHash.SHA_384, shared, range(0x60, 48));
        byte[] r1 = DhchapResponse.host(DhchapHash.SHA_384, hostSecret.transform(HOST_NQN), ca, S1, T, HOST_NQN,
                SUBSYS_NQN);
        byte[] r2 = DhchapResponse.controller(DhchapHash.SHA_384, controllerSecret.transform(SUBSYS_NQN), cb, S2, T,
                HOST_NQN, SUBSYS_NQN);

        assertArrayEquals(hex("8eb3a8902675377e763b652a4cdeafa230475e52bceb3760"
                + "4c4264857e90da72f5c3b5b7596fea3497d15dd38287944f"), ca);
        assertArrayEquals(hex("f8bcef063f98eb37811b44dadb7e25b096d160987045a485"
                + "e673a577b14ac52366884c0533f88c62cffdd8dacdbcbd47"), r1);
        assertArrayEquals(hex("1e3758e02b9baed146ed05509e349a31a142d05e0e790e4f"
                + "517199ca12d83527392cb704f1b946ecaac6f5e1cb702611"), r2);
    }

    /**
     * A 32-byte secret transformed with SHA-512 gives a 64-byte key, and Linux 6.12 (host and target) keys the
     * response HMAC with all of it, as we do: kernels before the 2023 fix "nvme-auth: use transformed key size to
     * create resp" cut the transformed key to the secret's length, which only nvme-cli's own secrets (key length =
     * hash length) never notice. Checked against the 6.12 kernel by the interop suite.
     */
    @Test
    void shouldKeyTheResponseWithTheWholeTransformedKeyAsLinux612DoesWhenTheSecretIsShorterThanItsHash() {
        DhchapSecret shortSecret = DhchapSecret.of(DhchapSecretTest.counting(32), Optional.of(DhchapHash.SHA_512));
        byte[] transformed = shortSecret.transform(HOST_NQN);
        assertArrayEquals(hex("5f233f233263efc7342e477170607b1a36dbbce203872202311382fb13479a60"
                + "af958176f5101a338a53d05c8c75a398df3a99111fc9fcd23fdd838df30d33d1"), transformed);

        byte[] r1 = DhchapResponse.host(DhchapHash.SHA_256, transformed, range(0xA0, 32), S1, T, HOST_NQN,
                SUBSYS_NQN);

        assertArrayEquals(hex("7eb89b506a969fe6fc27c3103dc549e46c91ad7977b67cee37d91b90d11c098d"), r1);
        assertFalse(MessageDigest.isEqual(hex("3e2bfd82a55e8f967d3b7050ef451c00d70bb8f2b0d10d1659d1f419c5b3966f"), r1),
                "not the response of a transformed key cut to 32 bytes (kernels before the fix)");
    }

    @Test
    void shouldDifferWhenAnyInputDiffers() {
        byte[] key = hostSecret.transform(HOST_NQN);
        byte[] c1 = range(0xA0, 32);
        byte[] base = DhchapResponse.host(DhchapHash.SHA_256, key, c1, S1, T, HOST_NQN, SUBSYS_NQN);
        byte[][] variants = {
            DhchapResponse.host(DhchapHash.SHA_256, key, c1, S1 + 1, T, HOST_NQN, SUBSYS_NQN),
            DhchapResponse.host(DhchapHash.SHA_256, key, c1, S1, T + 1, HOST_NQN, SUBSYS_NQN),
            DhchapResponse.host(DhchapHash.SHA_256, key, c1, S1, T, SUBSYS_NQN, HOST_NQN),
            DhchapResponse.controller(DhchapHash.SHA_256, key, c1, S1, T, HOST_NQN, SUBSYS_NQN),
            DhchapResponse.host(DhchapHash.SHA_256, key, range(0xA1, 32), S1, T, HOST_NQN, SUBSYS_NQN),
        };
        for (byte[] variant : variants) {
            assertFalse(DhchapResponse.matches(base, variant), HexFormat.of().formatHex(variant));
        }
        assertTrue(DhchapResponse.matches(base, base.clone()));
    }

    static byte[] range(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
