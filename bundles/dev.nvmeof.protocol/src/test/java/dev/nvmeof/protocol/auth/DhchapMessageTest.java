package dev.nvmeof.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes are laid by hand at the offsets of Linux's include/linux/nvme.h structures
 * ({@code nvmf_auth_dhchap_negotiate_data}, {@code _challenge_data}, {@code _reply_data}, {@code _success1_data},
 * {@code _success2_data}, {@code _failure_data}), independently of the codecs' constants.
 */
class DhchapMessageTest {

    /** What Linux's nvme_auth_set_dhchap_negotiate_data sends: all hashes, all groups, T_ID 7. */
    static byte[] linuxNegotiate() {
        byte[] b = new byte[72];
        b[0] = 0x00; // AUTH_Type common
        b[1] = 0x00; // AUTH_Negotiate
        b[4] = 7; // T_ID le16
        b[6] = 0; // SC_C none
        b[7] = 1; // NAPD
        b[8] = 1; // AUTHID DH-HMAC-CHAP
        b[10] = 3; // HALEN
        b[11] = 6; // DHLEN
        b[12] = 1;
        b[13] = 2;
        b[14] = 3; // idlist[0..2] hashes
        for (int i = 0; i < 6; i++) {
            b[12 + 30 + i] = (byte) i; // idlist[30..35] groups
        }
        return b;
    }

    @Test
    void shouldEncodeLinuxNegotiateByteForByte() throws Exception {
        AuthNegotiate negotiate = new AuthNegotiate(7, 0, List.of(DhchapHash.values()), List.of(DhGroup.values()));

        assertArrayEquals(linuxNegotiate(), negotiate.encode());
        AuthNegotiate decoded = (AuthNegotiate) DhchapMessage.decode(linuxNegotiate());
        assertEquals(negotiate, decoded);
    }

    @Test
    void shouldLayOutChallengeAtSpecOffsets() throws Exception {
        byte[] c1 = DhchapResponseTest.range(0xA0, 32);
        byte[] dh = DhchapResponseTest.range(1, 256);
        DhchapChallenge challenge = new DhchapChallenge(0x0102, DhchapHash.SHA_256, DhGroup.FFDHE2048, 0xF1020304L,
                c1, dh);

        byte[] b = challenge.encode();

        assertEquals(16 + 32 + 256, b.length);
        assertArrayEquals(new byte[] {0x01, 0x01, 0, 0, 0x02, 0x01, 32, 0, 0x01, 0x01, 0x00, 0x01, 0x04, 0x03, 0x02,
            (byte) 0xF1}, Arrays.copyOf(b, 16));
        assertArrayEquals(c1, Arrays.copyOfRange(b, 16, 48));
        assertArrayEquals(dh, Arrays.copyOfRange(b, 48, b.length));
        DhchapChallenge decoded = (DhchapChallenge) DhchapMessage.decode(b);
        assertEquals(0xF1020304L, decoded.sequenceNumber());
        assertEquals(DhGroup.FFDHE2048, decoded.group());
        assertArrayEquals(c1, decoded.challenge());
        assertArrayEquals(dh, decoded.dhValue());
    }

    @Test
    void shouldLayOutReplyWithAndWithoutControllerChallenge() throws Exception {
        byte[] r1 = DhchapResponseTest.range(0x10, 48);
        byte[] c2 = DhchapResponseTest.range(0x60, 48);
        byte[] bidirectional = new DhchapReply(9, r1, c2, 0x0A0B0C0DL, new byte[0]).encode();
        byte[] unidirectional = new DhchapReply(9, r1, new byte[0], 0, new byte[0]).encode();

        assertEquals(16 + 96, bidirectional.length);
        assertArrayEquals(new byte[] {0x01, 0x02, 0, 0, 9, 0, 48, 0, 1, 0, 0, 0, 0x0D, 0x0C, 0x0B, 0x0A},
                Arrays.copyOf(bidirectional, 16));
        assertArrayEquals(r1, Arrays.copyOfRange(bidirectional, 16, 64));
        assertArrayEquals(c2, Arrays.copyOfRange(bidirectional, 64, 112));
        assertEquals(16 + 96, unidirectional.length, "C2 is always HL bytes");
        assertEquals(0, unidirectional[8], "CVALID");
        assertArrayEquals(new byte[48], Arrays.copyOfRange(unidirectional, 64, 112));
        DhchapReply decoded = (DhchapReply) DhchapMessage.decode(bidirectional);
        assertTrue(decoded.hasChallenge());
        assertArrayEquals(c2, decoded.challenge());
        assertFalse(((DhchapReply) DhchapMessage.decode(unidirectional)).hasChallenge());
    }

    @Test
    void shouldLayOutSuccessAndFailureMessages() throws Exception {
        byte[] r2 = DhchapResponseTest.range(0x30, 32);
        byte[] success1 = new DhchapSuccess1(5, 32, r2).encode();
        byte[] success1NoResponse = new DhchapSuccess1(5, 32, new byte[0]).encode();
        byte[] success2 = new DhchapSuccess2(5).encode();
        byte[] failure1 = DhchapFailure.of(true, 5, DhchapFailureReason.FAILED).encode();
        byte[] failure2 = DhchapFailure.of(false, 5, DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE).encode();

        assertArrayEquals(new byte[] {1, 3, 0, 0, 5, 0, 32, 0, 1, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOf(success1, 16));
        assertArrayEquals(r2, Arrays.copyOfRange(success1, 16, 48));
        assertEquals(48, success1NoResponse.length, "the response field is always there, like Linux's target");
        assertEquals(0, success1NoResponse[8]);
        assertArrayEquals(new byte[] {1, 4, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, success2);
        assertArrayEquals(new byte[] {0, (byte) 0xF1, 0, 0, 5, 0, 1, 1}, failure1);
        assertArrayEquals(new byte[] {0, (byte) 0xF0, 0, 0, 5, 0, 1, 7}, failure2);
        assertArrayEquals(r2, ((DhchapSuccess1) DhchapMessage.decode(success1)).response());
        assertFalse(((DhchapSuccess1) DhchapMessage.decode(success1NoResponse)).hasResponse());
        assertEquals(new DhchapSuccess2(5), DhchapMessage.decode(success2));
        DhchapFailure decoded = (DhchapFailure) DhchapMessage.decode(failure1);
        assertTrue(decoded.fromController());
        assertEquals("AUTH_Failure1", decoded.messageName());
        assertEquals(Optional.of(DhchapFailureReason.FAILED), decoded.reason());
        assertEquals("Authentication failed (01h)", decoded.explanation());
        DhchapFailure unknown = new DhchapFailure(false, 5, 1, 0x2A);
        assertEquals("unknown explanation 2Ah", unknown.explanation());
        assertEquals(DhchapFailureReason.FAILED, unknown.toException().reason());
        assertTrue(unknown.toException().isReportedByPeer());
    }

    @Test
    void shouldIgnoreBytesPastTheMessageWhenBufferIsLarger() throws Exception {
        byte[] buffer = Arrays.copyOf(new DhchapSuccess2(3).encode(), 4096);

        assertEquals(new DhchapSuccess2(3), DhchapMessage.decode(buffer));
        assertEquals(new DhchapSuccess2(3), DhchapMessage.decode(buffer, 16));
    }

    @Test
    void shouldRejectEveryTruncationWithIncorrectPayload() {
        List<byte[]> messages = List.of(linuxNegotiate(),
                new DhchapChallenge(1, DhchapHash.SHA_512, DhGroup.FFDHE3072, 1, new byte[64], new byte[384])
                        .encode(),
                new DhchapReply(1, new byte[32], new byte[32], 2, new byte[256]).encode(),
                new DhchapSuccess1(1, 64, new byte[64]).encode(),
                new DhchapSuccess2(1).encode(),
                DhchapFailure.of(true, 1, DhchapFailureReason.FAILED).encode());
        for (byte[] message : messages) {
            for (int length = 0; length < message.length; length++) {
                int len = length;
                DhchapException e = assertThrows(DhchapException.class, () -> DhchapMessage.decode(message, len),
                        "type " + message[1] + " length " + length);
                assertEquals(DhchapFailureReason.INCORRECT_PAYLOAD, e.reason(), e.getMessage());
            }
        }
    }

    @Test
    void shouldNameFieldAndValueWhenIdsOrLengthsAreWrong() {
        byte[] unknownHash = linuxNegotiate();
        unknownHash[13] = 7;
        byte[] unknownGroup = linuxNegotiate();
        unknownGroup[42 + 5] = 9;
        byte[] twoDescriptors = linuxNegotiate();
        twoDescriptors[7] = 2;
        byte[] otherProtocol = linuxNegotiate();
        otherProtocol[8] = 2;
        byte[] longList = linuxNegotiate();
        longList[10] = 31;
        byte[] challenge = new DhchapChallenge(1, DhchapHash.SHA_256, DhGroup.NULL, 1, new byte[32], new byte[0])
                .encode();
        byte[] hashZero = challenge.clone();
        hashZero[8] = 0;
        byte[] wrongHl = challenge.clone();
        wrongHl[6] = 48;
        byte[] nullWithValue = challenge.clone();
        nullWithValue[10] = 1;
        byte[] unknownGroupInChallenge = challenge.clone();
        unknownGroupInChallenge[9] = 6;
        byte[] reply = new DhchapReply(1, new byte[32], new byte[0], 0, new byte[0]).encode();
        reply[6] = 33;
        Object[][] cases = {
            {unknownHash, DhchapFailureReason.INCORRECT_PAYLOAD, "hash id 1 is 07h"},
            {unknownGroup, DhchapFailureReason.INCORRECT_PAYLOAD, "DH group id 5 is 09h"},
            {twoDescriptors, DhchapFailureReason.INCORRECT_PAYLOAD, "NAPD 2"},
            {otherProtocol, DhchapFailureReason.AUTHENTICATION_PROTOCOL_NOT_USABLE, "AUTHID 02h"},
            {longList, DhchapFailureReason.INCORRECT_PAYLOAD, "HALEN 31"},
            {hashZero, DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, "HASHID 00h"},
            {wrongHl, DhchapFailureReason.INCORRECT_PAYLOAD, "HL 48 for SHA-256"},
            {nullWithValue, DhchapFailureReason.INCORRECT_PAYLOAD, "DHVLEN 1 for group null"},
            {unknownGroupInChallenge, DhchapFailureReason.DH_GROUP_NOT_USABLE, "DHGID 06h"},
            {reply, DhchapFailureReason.INCORRECT_PAYLOAD, "HL 33"},
            {new byte[] {2, 0, 0, 0, 0, 0, 0, 0}, DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE,
                "AUTH_Type 02h AUTH_Id 00h"},
            {new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE,
                "AUTH_Type 01h AUTH_Id 00h"},
        };
        for (Object[] c : cases) {
            DhchapException e = assertThrows(DhchapException.class, () -> DhchapMessage.decode((byte[]) c[0]),
                    (String) c[2]);
            assertEquals(c[1], e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
        }
    }

    @Test
    void shouldOnlyEverThrowDhchapExceptionWhenFuzzed() {
        Random random = new Random(0x15);
        List<byte[]> seeds = List.of(linuxNegotiate(),
                new DhchapChallenge(1, DhchapHash.SHA_384, DhGroup.FFDHE2048, 1, new byte[48], new byte[256])
                        .encode(),
                new DhchapReply(1, new byte[64], new byte[64], 2, new byte[0]).encode(),
                new DhchapSuccess1(1, 32, new byte[32]).encode(), new DhchapSuccess2(1).encode(),
                DhchapFailure.of(false, 1, DhchapFailureReason.FAILED).encode());
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(400)];
                random.nextBytes(input);
                if (input.length > 1) {
                    input[0] = (byte) random.nextInt(3); // reach the per-message decoders often
                }
            } else {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                input = Arrays.copyOf(seed, Math.max(0, seed.length + random.nextInt(9) - 6));
                for (int flips = random.nextInt(4); flips >= 0 && input.length > 0; flips--) {
                    input[random.nextInt(Math.min(input.length, 48))] = (byte) random.nextInt(256);
                }
            }
            try {
                DhchapMessage message = DhchapMessage.decode(input);
                assertInstanceOf(DhchapMessage.class, message);
                message.encode();
                decoded++;
            } catch (DhchapException expected) {
                assertFalse(expected.getMessage().isEmpty());
            } catch (RuntimeException | Error e) {
                fail("input " + Arrays.toString(input) + " threw " + e, e);
            }
        }
        assertTrue(decoded > 100, "the fuzzer should reach valid messages too: " + decoded);
    }
}
