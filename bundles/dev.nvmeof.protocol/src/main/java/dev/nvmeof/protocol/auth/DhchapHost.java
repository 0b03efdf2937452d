package dev.nvmeof.protocol.auth;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's side of one DH-HMAC-CHAP transaction on one queue (NVMe Base 2.0, section 8.13.5.2; Linux's
 * {@code nvme_queue_auth_work}). The caller moves the bytes: each method takes what the controller returned in an
 * Authentication Receive and gives what to send in the next Authentication Send.
 *
 * <pre>
 *  NEW --negotiate()--> AWAIT_CHALLENGE --onChallenge(): _Reply--> AWAIT_SUCCESS1
 *  AWAIT_SUCCESS1 --onSuccess1(): _Success2 (bidirectional) or nothing--> AUTHENTICATED
 *  any error --> FAILED; failure2() then gives the AUTH_Failure2 to send, unless the controller reported the failure
 * </pre>
 *
 * Every method throws only {@link DhchapException}: an AUTH_Failure1 from the controller (reported by the peer), a
 * malformed or unexpected message, a hash or group the host did not offer, or a controller response that does not
 * verify (compared in constant time). After a failure every call fails. One queue, one thread at a time.
 */
public final class DhchapHost {

    /** Where the transaction stands. */
    public enum State {
        NEW, AWAIT_CHALLENGE, AWAIT_SUCCESS1, AUTHENTICATED, FAILED
    }

    private final DhchapSecret hostSecret;
    private final Optional<DhchapSecret> controllerSecret;
    private final String hostNqn;
    private final String subsystemNqn;
    private final List<DhchapHash> hashes;
    private final List<DhGroup> groups;
    private final SecureRandom random;

    private State state = State.NEW;
    private DhchapException failure;
    private int transactionId;
    private DhchapHash hash;
    private DhGroup group;
    private byte[] controllerChallenge;
    private long controllerSequenceNumber;

    /**
     * @param controllerSecret present for bidirectional authentication: the host then challenges the controller
     * @param hashes the hashes to offer, most preferred first
     * @param groups the DH groups to offer, most preferred first
     */
    public DhchapHost(DhchapSecret hostSecret, Optional<DhchapSecret> controllerSecret, String hostNqn,
            String subsystemNqn, List<DhchapHash> hashes, List<DhGroup> groups, SecureRandom random) {
        this.hostSecret = Objects.requireNonNull(hostSecret, "hostSecret");
        this.controllerSecret = Objects.requireNonNull(controllerSecret, "controllerSecret");
        this.hostNqn = Objects.requireNonNull(hostNqn, "hostNqn");
        this.subsystemNqn = Objects.requireNonNull(subsystemNqn, "subsystemNqn");
        this.hashes = List.copyOf(hashes);
        this.groups = List.copyOf(groups);
        this.random = Objects.requireNonNull(random, "random");
        if (this.hashes.isEmpty() || this.groups.isEmpty()) {
            throw new IllegalArgumentException("a DH-HMAC-CHAP host offers at least one hash and one DH group");
        }
    }

    public State state() {
        return state;
    }

    public boolean isBidirectional() {
        return controllerSecret.isPresent();
    }

    /** The hash the controller chose, once its challenge was accepted. */
    public Optional<DhchapHash> hash() {
        return Optional.ofNullable(hash);
    }

    /** The DH group the controller chose, once its challenge was accepted. */
    public Optional<DhGroup> group() {
        return Optional.ofNullable(group);
    }

    /** The AUTH_Negotiate that opens transaction {@code transactionId} (16 bits). */
    public byte[] negotiate(int transactionId) throws DhchapException {
        requireState(State.NEW, "AUTH_Negotiate");
        this.transactionId = transactionId & 0xFFFF;
        state = State.AWAIT_CHALLENGE;
        return new AuthNegotiate(this.transactionId, AuthNegotiate.SC_C_NONE, hashes, groups).encode();
    }

    /** Takes the DH-HMAC-CHAP_Challenge in the first {@code length} bytes and gives the _Reply to send. */
    public byte[] onChallenge(byte[] payload, int length) throws DhchapException {
        requireState(State.AWAIT_CHALLENGE, "DH-HMAC-CHAP_Challenge");
        byte[] sharedSecret = null;
        byte[] hostKey = null;
        try {
            DhchapChallenge challenge = expect(payload, length, DhchapChallenge.class);
            if (!hashes.contains(challenge.hash())) {
                throw new DhchapException(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, "the controller chose "
                        + challenge.hash() + ", the host offered " + hashes);
            }
            if (!groups.contains(challenge.group())) {
                throw new DhchapException(DhchapFailureReason.DH_GROUP_NOT_USABLE, "the controller chose "
                        + challenge.group() + ", the host offered " + groups);
            }
            hash = challenge.hash();
            group = challenge.group();
            byte[] hostChallenge = challenge.challenge();
            byte[] dhValue = new byte[0];
            if (group.hasExchange()) {
                DhKeyExchange exchange = DhKeyExchange.generate(group, random);
                sharedSecret = exchange.sharedSecret(challenge.dhValue());
                dhValue = exchange.publicValue();
                hostChallenge = DhchapResponse.augmentChallenge(hash, sharedSecret, hostChallenge);
            }
            hostKey = hostSecret.transform(hostNqn);
            byte[] response = DhchapResponse.host(hash, hostKey, hostChallenge, challenge.sequenceNumber(),
                    transactionId, hostNqn, subsystemNqn);
            byte[] c2 = new byte[0];
            long s2 = 0;
            if (isBidirectional()) {
                c2 = new byte[hash.length()];
                random.nextBytes(c2);
                s2 = DhchapController.nonZeroSequenceNumber(random);
                // What the controller must answer: C2 bound to the same DH exchange, as for C1.
                controllerChallenge = sharedSecret == null ? c2.clone()
                        : DhchapResponse.augmentChallenge(hash, sharedSecret, c2);
                controllerSequenceNumber = s2;
            }
            state = State.AWAIT_SUCCESS1;
            return new DhchapReply(transactionId, response, c2, s2, dhValue).encode();
        } catch (DhchapException e) {
            throw fail(e);
        } finally {
            DhchapController.zero(sharedSecret);
            DhchapController.zero(hostKey);
        }
    }

    /**
     * Takes the DH-HMAC-CHAP_Success1 in the first {@code length} bytes; gives the _Success2 to send when the
     * authentication is bidirectional and the controller's response verified, empty when unidirectional.
     */
    public Optional<byte[]> onSuccess1(byte[] payload, int length) throws DhchapException {
        requireState(State.AWAIT_SUCCESS1, "DH-HMAC-CHAP_Success1");
        byte[] controllerKey = null;
        try {
            DhchapSuccess1 success1 = expect(payload, length, DhchapSuccess1.class);
            if (success1.hashLength() != hash.length()) {
                throw new DhchapException(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE, "DH-HMAC-CHAP_Success1 has"
                        + " HL " + success1.hashLength() + ", " + hash + " needs " + hash.length());
            }
            if (!isBidirectional()) {
                state = State.AUTHENTICATED;
                return Optional.empty();
            }
            if (!success1.hasResponse()) {
                throw new DhchapException(DhchapFailureReason.FAILED,
                        "the controller sent no response to the host's challenge (RVALID 0)");
            }
            controllerKey = controllerSecret.get().transform(subsystemNqn);
            byte[] expected = DhchapResponse.controller(hash, controllerKey, controllerChallenge,
                    controllerSequenceNumber, transactionId, hostNqn, subsystemNqn);
            if (!DhchapResponse.matches(expected, success1.response())) {
                throw new DhchapException(DhchapFailureReason.FAILED, "the controller's response does not verify:"
                        + " a wrong controller secret for " + subsystemNqn);
            }
            state = State.AUTHENTICATED;
            return Optional.of(new DhchapSuccess2(transactionId).encode());
        } catch (DhchapException e) {
            throw fail(e);
        } finally {
            DhchapController.zero(controllerKey);
            DhchapController.zero(controllerChallenge);
        }
    }

    /**
     * The AUTH_Failure2 to send after this host found the transaction failed; empty when it did not fail or the
     * controller reported the failure itself (it knows already).
     */
    public Optional<byte[]> failure2() {
        if (failure == null || failure.isReportedByPeer()) {
            return Optional.empty();
        }
        return Optional.of(DhchapFailure.of(false, transactionId, failure.reason()).encode());
    }

    /** The failure that ended the transaction, if one did. */
    public Optional<DhchapException> failure() {
        return Optional.ofNullable(failure);
    }

    private <T extends DhchapMessage> T expect(byte[] payload, int length, Class<T> type) throws DhchapException {
        DhchapMessage message = DhchapMessage.decode(payload, length);
        if (message instanceof DhchapFailure && ((DhchapFailure) message).fromController()) {
            throw ((DhchapFailure) message).toException();
        }
        if (!type.isInstance(message)) {
            throw DhchapException.protocolMessage("expected " + type.getSimpleName() + ", the controller sent "
                    + message.messageName());
        }
        // Linux's host answers a wrong T_ID with "Incorrect protocol message".
        if (message.transactionId() != transactionId) {
            throw DhchapException.protocolMessage(message.messageName() + " has T_ID " + message.transactionId()
                    + ", the transaction is " + transactionId);
        }
        return type.cast(message);
    }

    private void requireState(State expected, String what) throws DhchapException {
        if (state != expected) {
            DhchapException e = DhchapException.protocolMessage(what + " in state " + state);
            throw state == State.FAILED ? e : fail(e);
        }
    }

    private DhchapException fail(DhchapException e) {
        if (failure == null) {
            failure = e;
        }
        state = State.FAILED;
        return e;
    }

    @Override
    public String toString() {
        return "DhchapHost[" + state + ", hash=" + hash + ", group=" + group + "]";
    }
}
