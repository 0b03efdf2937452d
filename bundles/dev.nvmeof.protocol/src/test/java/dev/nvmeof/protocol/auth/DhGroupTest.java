package dev.nvmeof.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DhGroupTest {

    private final SecureRandom random = new SecureRandom();

    /**
     * RFC 7919 appendix A: {@code p = 2^b - 2^{b-64} + {[2^{b-130} e] + X } * 2^64 - 1}, with X as the RFC lists it
     * for each group (560316, 2625351, 5736041, 15705020, 10965728). e is computed here from its series to b bits.
     */
    @Test
    void shouldMatchRfc7919ConstructionForEveryGroup() {
        long[] rfcX = {560316, 2625351, 5736041, 15705020, 10965728};
        DhGroup[] groups = {DhGroup.FFDHE2048, DhGroup.FFDHE3072, DhGroup.FFDHE4096, DhGroup.FFDHE6144,
            DhGroup.FFDHE8192};
        for (int i = 0; i < groups.length; i++) {
            int b = groups[i].valueLength() * 8;
            BigInteger expected = BigInteger.ONE.shiftLeft(b).subtract(BigInteger.ONE.shiftLeft(b - 64))
                    .add(floorTwoPowerTimesE(b - 130).add(BigInteger.valueOf(rfcX[i])).shiftLeft(64))
                    .subtract(BigInteger.ONE);
            assertEquals(expected, groups[i].prime(), groups[i].toString());
            assertEquals(2, groups[i].parameters().getG().intValueExact());
        }
    }

    @Test
    void shouldHaveSpecIdsAndLengths() {
        int[] lengths = {0, 256, 384, 512, 768, 1024};
        for (DhGroup group : DhGroup.values()) {
            assertEquals(Optional.of(group), DhGroup.of(group.code()));
            assertEquals(lengths[group.code()], group.valueLength());
        }
        assertFalse(DhGroup.NULL.hasExchange());
        assertEquals(Optional.empty(), DhGroup.of(6));
        assertEquals(Optional.empty(), DhGroup.of(-1));
        assertThrows(IllegalStateException.class, DhGroup.NULL::parameters);
    }

    @Test
    void shouldAgreeOnSharedSecretWhenBothSidesExchange() throws Exception {
        for (DhGroup group : new DhGroup[] {DhGroup.FFDHE2048, DhGroup.FFDHE3072, DhGroup.FFDHE8192}) {
            DhKeyExchange host = DhKeyExchange.generate(group, random);
            DhKeyExchange controller = DhKeyExchange.generate(group, random);

            byte[] hostSecret = host.sharedSecret(controller.publicValue());
            byte[] controllerSecret = controller.sharedSecret(host.publicValue());

            assertEquals(group.valueLength(), host.publicValue().length);
            assertEquals(group.valueLength(), hostSecret.length);
            assertArrayEquals(hostSecret, controllerSecret, group.toString());
        }
    }

    @Test
    void shouldMatchModPowWhenPrivateExponentIsFixed() throws Exception {
        // Independent of the JDK's KeyAgreement: BigInteger.modPow over the same numbers.
        DhGroup group = DhGroup.FFDHE2048;
        BigInteger x = new BigInteger("1234567890ABCDEF".repeat(4), 16);
        BigInteger z = new BigInteger("FEDCBA0987654321".repeat(4), 16);
        DhKeyExchange host = DhKeyExchange.withPrivateExponent(group, x);
        BigInteger peer = BigInteger.TWO.modPow(z, group.prime());

        byte[] secret = host.sharedSecret(DhKeyExchange.fixedLength(peer, 256));

        assertArrayEquals(DhKeyExchange.fixedLength(peer.modPow(x, group.prime()), 256), secret);
        assertArrayEquals(DhKeyExchange.fixedLength(BigInteger.TWO.modPow(x, group.prime()), 256),
                host.publicValue());
    }

    @Test
    void shouldRejectDegenerateOrMisSizedPeerValues() {
        DhGroup group = DhGroup.FFDHE2048;
        DhKeyExchange host = DhKeyExchange.generate(group, random);
        BigInteger p = group.prime();
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p}) {
            DhchapException e = assertThrows(DhchapException.class,
                    () -> host.sharedSecret(DhKeyExchange.fixedLength(bad, 256)));
            assertEquals(DhchapFailureReason.DH_GROUP_NOT_USABLE, e.reason());
        }
        DhchapException e = assertThrows(DhchapException.class, () -> host.sharedSecret(new byte[255]));
        assertEquals(DhchapFailureReason.INCORRECT_PAYLOAD, e.reason());
        assertTrue(e.getMessage().contains("256 bytes, not 255"), e.getMessage());
    }

    /** floor(2^bits * e), from e = sum 1/n! with 64 guard bits. */
    private static BigInteger floorTwoPowerTimesE(int bits) {
        BigInteger term = BigInteger.ONE.shiftLeft(bits + 64);
        BigInteger sum = BigInteger.ZERO;
        for (int n = 1; term.signum() > 0; n++) {
            sum = sum.add(term);
            term = term.divide(BigInteger.valueOf(n));
        }
        return sum.shiftRight(64);
    }
}
