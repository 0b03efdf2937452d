package dev.nvmeof.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DhchapHost} against {@link DhchapController}, in memory, and each against bad peers. */
class DhchapTransactionTest {

    private static final String HOST_NQN = DhchapResponseTest.HOST_NQN;
    private static final String SUBSYS_NQN = DhchapResponseTest.SUBSYS_NQN;

    private final SecureRandom random = new SecureRandom();
    private final DhchapSecret hostSecret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random);
    private final DhchapSecret controllerSecret = DhchapSecret.generate(Optional.of(DhchapHash.SHA_512), 64, random);

    private DhchapHost host(Optional<DhchapSecret> ctrl, List<DhchapHash> hashes, List<DhGroup> groups) {
        return new DhchapHost(hostSecret, ctrl, HOST_NQN, SUBSYS_NQN, hashes, groups, random);
    }

    private DhchapHost host(Optional<DhchapSecret> ctrl) {
        return host(ctrl, List.of(DhchapHash.values()), List.of(DhGroup.values()));
    }

    private DhchapController controller(List<DhchapHash> hashes, List<DhGroup> groups) {
        return new DhchapController(new DhchapPolicy(hostSecret, Optional.of(controllerSecret), hashes, groups),
                HOST_NQN, SUBSYS_NQN, random);
    }

    /** Runs a whole transaction; returns what the host got from Success1. */
    private static Optional<byte[]> run(DhchapHost host, DhchapController controller) throws DhchapException {
        byte[] negotiate = host.negotiate(1);
        controller.onSend(negotiate, negotiate.length);
        byte[] challenge = controller.onReceive();
        byte[] reply = host.onChallenge(challenge, challenge.length);
        controller.onSend(reply, reply.length);
        byte[] success1 = controller.onReceive();
        Optional<byte[]> success2 = host.onSuccess1(success1, success1.length);
        success2.ifPresent(s -> controller.onSend(s, s.length));
        return success2;
    }

    @Test
    void shouldAuthenticateBothWaysWhenSecretsMatch() throws Exception {
        Object[][] pairs = {
            {DhchapHash.SHA_256, DhGroup.NULL}, {DhchapHash.SHA_384, DhGroup.FFDHE2048},
            {DhchapHash.SHA_512, DhGroup.FFDHE3072}};
        for (Object[] pair : pairs) {
            DhchapHost host = host(Optional.of(controllerSecret));
            DhchapController controller = controller(List.of((DhchapHash) pair[0]), List.of((DhGroup) pair[1]));

            Optional<byte[]> success2 = run(host, controller);

            assertTrue(success2.isPresent(), "bidirectional ends with Success2");
            assertEquals(DhchapHost.State.AUTHENTICATED, host.state());
            assertEquals(DhchapController.State.AUTHENTICATED, controller.state());
            assertTrue(controller.isAuthenticated());
            assertEquals(Optional.of(pair[0]), host.hash());
            assertEquals(Optional.of(pair[1]), controller.group());
        }
    }

    @Test
    void shouldAuthenticateHostOnlyWhenNoControllerSecretIsGiven() throws Exception {
        DhchapHost host = host(Optional.empty());
        DhchapController controller = controller(DhchapPolicy.STRONGEST_HASHES_FIRST, List.of(DhGroup.FFDHE2048));

        assertEquals(Optional.empty(), run(host, controller));

        assertEquals(DhchapHost.State.AUTHENTICATED, host.state());
        assertTrue(controller.isAuthenticated());
        assertEquals(Optional.of(DhchapHash.SHA_512), controller.hash(), "strongest first");
    }

    @Test
    void shouldFailWithAuthenticationFailedWhenHostSecretIsWrong() throws Exception {
        DhchapSecret other = DhchapSecret.generate(Optional.of(DhchapHash.SHA_256), 32, random);
        DhchapHost host = new DhchapHost(other, Optional.empty(), HOST_NQN, SUBSYS_NQN,
                List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE2048), random);
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE2048));

        DhchapException e = assertThrows(DhchapException.class, () -> run(host, controller));

        assertEquals(DhchapFailureReason.FAILED, e.reason());
        assertTrue(e.isReportedByPeer());
        assertEquals(Optional.empty(), host.failure2(), "the controller knows already");
        assertEquals(DhchapController.State.FAILED, controller.state());
        assertFalse(controller.isAuthenticated());
        assertTrue(controller.failure().orElseThrow().getMessage().contains("does not verify"));
    }

    @Test
    void shouldFailOnHostWhenControllerSecretIsWrong() throws Exception {
        DhchapSecret other = DhchapSecret.generate(Optional.of(DhchapHash.SHA_512), 64, random);
        DhchapHost host = host(Optional.of(other));
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));

        DhchapException e = assertThrows(DhchapException.class, () -> run(host, controller));

        assertEquals(DhchapFailureReason.FAILED, e.reason());
        assertFalse(e.isReportedByPeer());
        assertTrue(e.getMessage().contains("controller's response does not verify"), e.getMessage());
        byte[] failure2 = host.failure2().orElseThrow();
        controller.onSend(failure2, failure2.length);
        assertEquals(DhchapController.State.FAILED, controller.state());
        assertFalse(controller.isAuthenticated());
        assertTrue(controller.failure().orElseThrow().isReportedByPeer());
    }

    @Test
    void shouldRefuseDowngradeWhenHostOffersOnlyWeakerHashesOrGroups() throws Exception {
        DhchapController strongHash = controller(List.of(DhchapHash.SHA_512), List.of(DhGroup.FFDHE2048));
        DhchapController strongGroup = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE4096));
        DhchapHost weakHash = host(Optional.empty(), List.of(DhchapHash.SHA_256), List.of(DhGroup.values()));
        DhchapHost weakGroup = host(Optional.empty(), List.of(DhchapHash.values()),
                List.of(DhGroup.NULL, DhGroup.FFDHE2048));

        DhchapException hashFailure = assertThrows(DhchapException.class, () -> run(weakHash, strongHash));
        DhchapException groupFailure = assertThrows(DhchapException.class, () -> run(weakGroup, strongGroup));

        assertEquals(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, hashFailure.reason());
        assertEquals(DhchapFailureReason.DH_GROUP_NOT_USABLE, groupFailure.reason());
        assertTrue(strongGroup.failure().orElseThrow().getMessage()
                .contains("the host offers [null, ffdhe2048], the policy allows only [ffdhe4096]"));
        assertFalse(strongHash.isAuthenticated());
    }

    @Test
    void shouldRefuseHashOrGroupTheHostDidNotOffer() throws Exception {
        byte[] challenge = new DhchapChallenge(1, DhchapHash.SHA_512, DhGroup.NULL, 5, new byte[64], new byte[0])
                .encode();
        DhchapHost host = host(Optional.empty(), List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        host.negotiate(1);

        DhchapException e = assertThrows(DhchapException.class, () -> host.onChallenge(challenge, challenge.length));

        assertEquals(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, e.reason());
        assertEquals(DhchapHost.State.FAILED, host.state());
        byte[] failure2 = host.failure2().orElseThrow();
        assertEquals(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE,
                ((DhchapFailure) DhchapMessage.decode(failure2)).reason().orElseThrow());
        assertThrows(DhchapException.class, () -> host.onSuccess1(challenge, challenge.length), "FAILED is final");
    }

    @Test
    void shouldAnswerReplayedReplyWithIncorrectProtocolMessage() throws Exception {
        DhchapHost host = host(Optional.empty());
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE2048));
        controller.onSend(host.negotiate(1), 72);
        byte[] challenge = controller.onReceive();
        byte[] reply = host.onChallenge(challenge, challenge.length);
        controller.onSend(reply, reply.length);

        controller.onSend(reply, reply.length);

        byte[] failure1 = controller.onReceive();
        DhchapFailure failure = (DhchapFailure) DhchapMessage.decode(failure1);
        assertEquals(Optional.of(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE), failure.reason());
        assertTrue(controller.failure().orElseThrow().getMessage()
                .contains("DH-HMAC-CHAP_Reply arrived in state SUCCESS1_READY"));
        assertFalse(controller.isAuthenticated());
    }

    @Test
    void shouldFailReplyFromEarlierTransactionWhenReplayedIntoNewOne() throws Exception {
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        DhchapHost first = host(Optional.empty());
        controller.onSend(first.negotiate(1), 72);
        byte[] challenge = controller.onReceive();
        byte[] recorded = first.onChallenge(challenge, challenge.length);
        DhchapController victim = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        victim.onSend(new AuthNegotiate(1, 0, List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL)).encode(), 72);
        victim.onReceive(); // a fresh C1 and S1

        victim.onSend(recorded, recorded.length);

        assertEquals(DhchapController.State.FAILURE1_READY, victim.state());
        assertEquals(DhchapFailureReason.FAILED, victim.failure().orElseThrow().reason());
    }

    @Test
    void shouldRejectOutOfOrderAndWrongTransactionMessages() throws Exception {
        DhchapController early = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        byte[] reply = new DhchapReply(1, new byte[32], new byte[0], 0, new byte[0]).encode();
        early.onSend(reply, reply.length);
        assertEquals(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE, early.failure().orElseThrow().reason());
        early.onReceive();
        assertThrows(DhchapException.class, early::onReceive, "nothing more to receive after Failure1");

        DhchapController idle = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        DhchapException nothing = assertThrows(DhchapException.class, idle::onReceive);
        assertEquals(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE, nothing.reason());

        DhchapHost host = host(Optional.empty());
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        controller.onSend(host.negotiate(7), 72);
        byte[] challenge = controller.onReceive();
        byte[] goodReply = host.onChallenge(challenge, challenge.length);
        goodReply[4] = 8; // T_ID 8 in a transaction 7
        controller.onSend(goodReply, goodReply.length);
        assertEquals(DhchapFailureReason.INCORRECT_PAYLOAD, controller.failure().orElseThrow().reason());
        assertTrue(controller.failure().orElseThrow().getMessage().contains("T_ID 8, the transaction is 7"));

        DhchapHost wrongTid = host(Optional.empty());
        wrongTid.negotiate(3);
        byte[] otherTransaction = new DhchapChallenge(4, DhchapHash.SHA_256, DhGroup.NULL, 1, new byte[32],
                new byte[0]).encode();
        DhchapException e = assertThrows(DhchapException.class,
                () -> wrongTid.onChallenge(otherTransaction, otherTransaction.length));
        assertEquals(DhchapFailureReason.INCORRECT_PROTOCOL_MESSAGE, e.reason());
    }

    @Test
    void shouldRefuseBidirectionalWhenControllerHasNoSecret() throws Exception {
        DhchapController controller = new DhchapController(new DhchapPolicy(hostSecret, Optional.empty(),
                List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL)), HOST_NQN, SUBSYS_NQN, random);

        DhchapException e = assertThrows(DhchapException.class,
                () -> run(host(Optional.of(controllerSecret)), controller));

        assertEquals(DhchapFailureReason.FAILED, e.reason());
        assertTrue(controller.failure().orElseThrow().getMessage().contains("no controller secret"));
    }

    @Test
    void shouldReauthenticateWhenNegotiateArrivesAfterSuccess() throws Exception {
        DhchapController controller = controller(List.of(DhchapHash.SHA_384), List.of(DhGroup.FFDHE2048));
        run(host(Optional.of(controllerSecret)), controller);

        run(host(Optional.empty()), controller);

        assertEquals(DhchapController.State.AUTHENTICATED, controller.state());
        assertTrue(controller.isAuthenticated());
    }

    @Test
    void shouldRejectMisSizedDhValueInReply() throws Exception {
        DhchapHost host = host(Optional.empty());
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.FFDHE2048));
        controller.onSend(host.negotiate(1), 72);
        byte[] challenge = controller.onReceive();
        byte[] reply = host.onChallenge(challenge, challenge.length);
        byte[] shortened = Arrays.copyOf(reply, reply.length - 1);
        shortened[10] = (byte) 0xFF; // DHVLEN 255 instead of 256

        controller.onSend(shortened, shortened.length);

        assertEquals(DhchapFailureReason.INCORRECT_PAYLOAD, controller.failure().orElseThrow().reason());
    }

    @Test
    void shouldNeverThrowOrHangWhenControllerIsFedGarbage() throws Exception {
        Random fuzz = new Random(15);
        DhchapHost template = host(Optional.of(controllerSecret));
        DhchapController reference = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        byte[] negotiate = template.negotiate(2);
        reference.onSend(negotiate, negotiate.length);
        byte[] challenge = reference.onReceive();
        byte[] reply = template.onChallenge(challenge, challenge.length);
        for (int i = 0; i < 2_000; i++) {
            DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
            controller.onSend(negotiate, negotiate.length);
            controller.onReceive();
            byte[] garbage = i % 2 == 0 ? reply.clone() : new byte[fuzz.nextInt(200)];
            if (i % 2 == 0) {
                garbage[fuzz.nextInt(garbage.length)] ^= (byte) (1 + fuzz.nextInt(255));
            } else {
                fuzz.nextBytes(garbage);
            }
            try {
                controller.onSend(garbage, garbage.length);
                if (controller.state() == DhchapController.State.FAILURE1_READY) {
                    byte[] failure1 = controller.onReceive();
                    assertTrue(((DhchapFailure) DhchapMessage.decode(failure1)).fromController());
                }
            } catch (RuntimeException | Error e) {
                fail("input " + Arrays.toString(garbage) + " threw " + e, e);
            }
            assertFalse(controller.isAuthenticated(), "a changed reply never authenticates");
        }
    }

    @Test
    void shouldOnlyEverFailWithDhchapExceptionWhenAHostileControllerSendsGarbage() throws Exception {
        Random fuzz = new Random(16);
        int repliesToChangedChallenges = 0;
        int changedSuccess1s = 0;
        for (int i = 0; i < 1_500; i++) {
            // Every fifth round runs a real DH exchange, so a changed DH value reaches the key agreement.
            DhGroup group = i % 5 == 0 ? DhGroup.FFDHE2048 : DhGroup.NULL;
            DhchapHost host = host(Optional.of(controllerSecret));
            DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(group));
            byte[] negotiate = host.negotiate(3);
            controller.onSend(negotiate, negotiate.length);
            byte[] challenge = controller.onReceive();
            if (i % 2 == 0) {
                try {
                    host.onChallenge(changed(challenge, fuzz, i / 2), challenge.length + fuzz.nextInt(2) * 100);
                    repliesToChangedChallenges++;
                } catch (DhchapException expected) {
                    assertEquals(DhchapHost.State.FAILED, host.state());
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("a changed challenge threw " + e, e);
                }
                continue;
            }
            byte[] reply = host.onChallenge(challenge, challenge.length);
            controller.onSend(reply, reply.length);
            byte[] success1 = controller.onReceive();
            int flipped = fuzz.nextInt(success1.length);
            success1[flipped] ^= (byte) (1 + fuzz.nextInt(255));
            changedSuccess1s++;
            try {
                host.onSuccess1(success1, success1.length);
            } catch (DhchapException expected) {
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("a changed Success1 threw " + e, e);
            }
            boolean inResponseOrItsLength = flipped == DhchapSuccess1.HL_OFFSET
                    || flipped >= DhchapSuccess1.RVAL_OFFSET;
            assertFalse(inResponseOrItsLength && host.state() == DhchapHost.State.AUTHENTICATED,
                    "a changed controller response must not verify (byte " + flipped + ")");
        }
        assertTrue(repliesToChangedChallenges > 50 && changedSuccess1s == 750, "the fuzzer should reach a reply"
                + " and Success1: " + repliesToChangedChallenges + " replies to changed challenges");
    }

    /** Half the time one byte of the message changed, else random bytes (a valid AUTH_Type, so checks go on). */
    private static byte[] changed(byte[] message, Random fuzz, int round) {
        byte[] buffer = new byte[message.length + 100];
        if (round % 2 == 0) {
            System.arraycopy(message, 0, buffer, 0, message.length);
            buffer[fuzz.nextInt(message.length)] ^= (byte) (1 + fuzz.nextInt(255));
        } else {
            fuzz.nextBytes(buffer);
            buffer[0] = 0x01;
            buffer[1] = (byte) (round % 4 == 1 ? 0x02 : fuzz.nextInt(256));
        }
        return buffer;
    }

    @Test
    void shouldNotShowSecretsInFailuresOrToString() throws Exception {
        String hostText = hostSecret.format();
        String keyPart = hostText.substring(10, hostText.length() - 1);
        DhchapController controller = controller(List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL));
        DhchapHost wrong = new DhchapHost(DhchapSecret.generate(Optional.empty(), 32, random), Optional.empty(),
                HOST_NQN, SUBSYS_NQN, List.of(DhchapHash.SHA_256), List.of(DhGroup.NULL), random);

        DhchapException e = assertThrows(DhchapException.class, () -> run(wrong, controller));

        for (String shown : List.of(e.getMessage(), controller.failure().orElseThrow().getMessage(),
                controller.toString(), wrong.toString(), hostSecret.toString())) {
            assertFalse(shown.contains(keyPart), shown);
        }
    }
}
