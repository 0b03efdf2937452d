package dev.nvmeof.protocol.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's side of one DH-HMAC-CHAP transaction on one queue (NVMe Base 2.0, section 8.13.5.2), driven by the
 * target's Authentication Send ({@link #onSend}) and Authentication Receive ({@link #onReceive}) commands, as Linux's
 * {@code nvmet_execute_auth_send} / {@code _receive} drive {@code dhchap_step}:
 *
 * <pre>
 *  AWAIT_NEGOTIATE --send AUTH_Negotiate--> CHALLENGE_READY --receive: _Challenge--> AWAIT_REPLY
 *  AWAIT_REPLY --send _Reply, verified--> SUCCESS1_READY --receive: _Success1--> AUTHENTICATED (unidirectional)
 *                                                                            \-> AWAIT_SUCCESS2 (bidirectional)
 *  AWAIT_SUCCESS2 --send _Success2--> AUTHENTICATED
 *  any error in a send --> FAILURE1_READY --receive: AUTH_Failure1--> FAILED;  send AUTH_Failure2 --> FAILED
 * </pre>
 *
 * A send never throws: an error (malformed or out-of-order message, wrong transaction ID, nothing acceptable offered,
 * a response that does not verify) is kept and answered by the next receive with AUTH_Failure1 and its reason.
 * AUTH_Negotiate in {@code AUTHENTICATED} starts a re-authentication; {@code FAILED} is final (the target ends the
 * association, as Linux does). Responses are compared in constant time. One queue, one thread at a time.
 */
public final class DhchapController {

    /** Where the transaction stands. */
    public enum State {
        AWAIT_NEGOTIATE, CHALLENGE_READY, AWAIT_REPLY, SUCCESS1_READY, AWAIT_SUCCESS2, AUTHENTICATED, FAILURE1_READY,
        FAILED
    }

    private final DhchapPolicy policy;
    private final String hostNqn;
    private final String subsystemNqn;
    private final SecureRandom random;

    private State state = State.AWAIT_NEGOTIATE;
    private boolean authenticated;
    private DhchapException failure;
    private int transactionId;
    private DhchapHash hash;
    private DhGroup group;
    private long sequenceNumber;
    private byte[] challenge;
    private DhKeyExchange exchange;
    private byte[] controllerResponse;

    public DhchapController(DhchapPolicy policy, String hostNqn, String subsystemNqn, SecureRandom random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hostNqn = Objects.requireNonNull(hostNqn, "hostNqn");
        this.subsystemNqn = Objects.requireNonNull(subsystemNqn, "subsystemNqn");
        this.random = Objects.requireNonNull(random, "random");
    }

    public State state() {
        return state;
    }

    /** Whether the host has proven it knows its secret (and, bidirectionally, accepted the controller's proof). */
    public boolean isAuthenticated() {
        return authenticated;
    }

    /** The failure that ended the transaction, if one did. */
    public Optional<DhchapException> failure() {
        return Optional.ofNullable(failure);
    }

    /** The negotiated hash, once AUTH_Negotiate was accepted. */
    public Optional<DhchapHash> hash() {
        return Optional.ofNullable(hash);
    }

    /** The negotiated DH group, once AUTH_Negotiate was accepted. */
    public Optional<DhGroup> group() {
        return Optional.ofNullable(group);
    }

    /** The payload of an Authentication Send: the first {@code length} bytes of {@code payload}. Never throws. */
    public void onSend(byte[] payload, int length) {
        if (state == State.FAILED || state == State.FAILURE1_READY) {
            return; // the transaction already failed; the failure stands
        }
        try {
            DhchapMessage message = DhchapMessage.decode(payload, length);
            if (message instanceof DhchapFailure) {
                fail(((DhchapFailure) message).toException(), State.FAILED);
            } else if (message instanceof AuthNegotiate) {
                negotiate((AuthNegotiate) message);
            } else if (message instanceof DhchapReply && state == State.AWAIT_REPLY) {
                reply((DhchapReply) message);
            } else if (message instanceof DhchapSuccess2 && state == State.AWAIT_SUCCESS2) {
                requireTransaction(message);
                state = State.AUTHENTICATED;
                authenticated = true;
            } else {
                throw DhchapException.protocolMessage(message.messageName() + " arrived in state " + state);
            }
        } catch (DhchapException e) {
            fail(e, State.FAILURE1_READY);
        } catch (RuntimeException e) {
            // A bug here must not take the queue's thread down: fail the transaction, name only the type.
            fail(new DhchapException(DhchapFailureReason.FAILED, "internal error " + e.getClass().getName()),
                    State.FAILURE1_READY);
        }
    }

    /**
     * The payload for an Authentication Receive: DH-HMAC-CHAP_Challenge, _Success1 or AUTH_Failure1, whichever the
     * transaction is waiting to give.
     *
     * @throws DhchapException {@link DhchapFailureReason#INCORRECT_PROTOCOL_MESSAGE} when there is nothing to receive
     *         in this state (a receive before AUTH_Negotiate, or a second one)
     */
    public byte[] onReceive() throws DhchapException {
        switch (state) {
            case CHALLENGE_READY:
                return challenge();
            case SUCCESS1_READY:
                DhchapSuccess1 success1 = new DhchapSuccess1(transactionId, hash.length(),
                        controllerResponse == null ? new byte[0] : controllerResponse);
                boolean bidirectional = controllerResponse != null;
                clearTransaction();
                state = bidirectional ? State.AWAIT_SUCCESS2 : State.AUTHENTICATED;
                authenticated = !bidirectional || authenticated;
                return success1.encode();
            case FAILURE1_READY:
                state = State.FAILED;
                return DhchapFailure.of(true, transactionId, failure.reason()).encode();
            default:
                throw DhchapException.protocolMessage("nothing to receive in state " + state);
        }
    }

    private void negotiate(AuthNegotiate negotiate) throws DhchapException {
        clearTransaction();
        transactionId = negotiate.transactionId();
        if (negotiate.secureChannel() != AuthNegotiate.SC_C_NONE) {
            throw new DhchapException(DhchapFailureReason.SECURE_CHANNEL_CONCATENATION_MISMATCH,
                    "the host asks for secure channel concatenation " + negotiate.secureChannel()
                            + ", which this controller does not offer");
        }
        hash = policy.hashes().stream().filter(negotiate.hashes()::contains).findFirst().orElseThrow(
                () -> new DhchapException(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, "the host offers "
                        + negotiate.hashes() + ", the policy allows only " + policy.hashes()));
        group = policy.groups().stream().filter(negotiate.groups()::contains).findFirst().orElseThrow(
                () -> new DhchapException(DhchapFailureReason.DH_GROUP_NOT_USABLE, "the host offers "
                        + negotiate.groups() + ", the policy allows only " + policy.groups()));
        state = State.CHALLENGE_READY;
    }

    private byte[] challenge() {
        challenge = new byte[hash.length()];
        random.nextBytes(challenge);
        sequenceNumber = nonZeroSequenceNumber(random);
        exchange = group.hasExchange() ? DhKeyExchange.generate(group, random) : null;
        state = State.AWAIT_REPLY;
        return new DhchapChallenge(transactionId, hash, group, sequenceNumber, challenge,
                exchange == null ? new byte[0] : exchange.publicValue()).encode();
    }

    private void reply(DhchapReply reply) throws DhchapException {
        // Linux's target answers a wrong T_ID on a reply with "Incorrect payload".
        if (reply.transactionId() != transactionId) {
            throw DhchapException.payload("DH-HMAC-CHAP_Reply has T_ID " + reply.transactionId() + ", the"
                    + " transaction is " + transactionId);
        }
        if (reply.response().length != hash.length()) {
            throw DhchapException.payload("DH-HMAC-CHAP_Reply has HL " + reply.response().length + ", " + hash
                    + " needs " + hash.length());
        }
        byte[] sharedSecret = null;
        byte[] hostKey = null;
        byte[] hostChallenge = challenge;
        byte[] controllerChallenge = reply.challenge();
        try {
            if (exchange == null) {
                if (reply.dhValue().length != 0) {
                    throw DhchapException.payload("DH-HMAC-CHAP_Reply carries a DH value of "
                            + reply.dhValue().length + " bytes in the null DH group");
                }
            } else {
                sharedSecret = exchange.sharedSecret(reply.dhValue());
                hostChallenge = DhchapResponse.augmentChallenge(hash, sharedSecret, challenge);
                if (reply.hasChallenge()) {
                    controllerChallenge = DhchapResponse.augmentChallenge(hash, sharedSecret, controllerChallenge);
                }
            }
            hostKey = policy.hostSecret().transform(hostNqn);
            byte[] expected = DhchapResponse.host(hash, hostKey, hostChallenge, sequenceNumber, transactionId,
                    hostNqn, subsystemNqn);
            if (!DhchapResponse.matches(expected, reply.response())) {
                throw new DhchapException(DhchapFailureReason.FAILED, "the host's response does not verify: a"
                        + " wrong secret for host " + hostNqn + ", or a response to another challenge");
            }
            // SEQNUM 0 with C2 asks for no controller authentication (C2 only seeds a TLS PSK): as Linux, no R2.
            if (reply.hasChallenge() && reply.sequenceNumber() != 0) {
                controllerResponse = controllerResponse(controllerChallenge, reply.sequenceNumber());
            }
            state = State.SUCCESS1_READY;
        } finally {
            zero(sharedSecret);
            zero(hostKey);
        }
    }

    private byte[] controllerResponse(byte[] controllerChallenge, long hostSequenceNumber) throws DhchapException {
        DhchapSecret controllerSecret = policy.controllerSecret().orElseThrow(() -> new DhchapException(
                DhchapFailureReason.FAILED, "the host asks for bidirectional authentication and no controller"
                        + " secret is configured for host " + hostNqn));
        byte[] controllerKey = controllerSecret.transform(subsystemNqn);
        try {
            return DhchapResponse.controller(hash, controllerKey, controllerChallenge, hostSequenceNumber,
                    transactionId, hostNqn, subsystemNqn);
        } finally {
            zero(controllerKey);
        }
    }

    private void requireTransaction(DhchapMessage message) throws DhchapException {
        if (message.transactionId() != transactionId) {
            throw DhchapException.payload(message.messageName() + " has T_ID " + message.transactionId()
                    + ", the transaction is " + transactionId);
        }
    }

    private void fail(DhchapException e, State next) {
        failure = e;
        authenticated = false;
        clearTransaction();
        state = next;
    }

    private void clearTransaction() {
        zero(challenge);
        challenge = null;
        exchange = null;
        controllerResponse = null;
    }

    static long nonZeroSequenceNumber(SecureRandom random) {
        long value;
        do {
            value = random.nextInt() & 0xFFFF_FFFFL;
        } while (value == 0);
        return value;
    }

    static void zero(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "DhchapController[" + state + ", hash=" + hash + ", group=" + group + "]";
    }
}
