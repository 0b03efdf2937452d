package dev.nvmeof.host.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeStatusException;
import dev.nvmeof.protocol.DataDirection;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapException;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapHost;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;

/**
 * DH-HMAC-CHAP on one queue right after its Connect, as Linux's {@code nvme_queue_auth_work}: AUTH_Negotiate in an
 * Authentication Send, the challenge from an Authentication Receive, the reply, Success1, and Success2 when the
 * host also authenticates the controller; after a failure this host found, AUTH_Failure2. The host offers every
 * hash and group in Linux's order (SHA-256 first, null group first): the controller's policy chooses.
 *
 * <p>Any failure is an {@link NvmeStatusException#authenticationFailed} naming the queue and the reason; the
 * secrets are parsed per queue and destroyed when it is done.
 */
final class QueueAuthentication {
    /** What an Authentication Receive asks for: Linux's CHAP_BUF_SIZE, enough for an ffdhe8192 challenge. */
    static final int RECEIVE_LENGTH = 4096;
    static final String STEP = "Authentication";

    /** Runs one command on the queue being authenticated and waits for it. */
    interface Exchange {
        void run(AdminCommand command) throws NvmeException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueAuthentication() {
    }

    /** Whether queue authentication runs after a Connect that answered {@code authenticationRequired}. */
    static boolean wanted(ConnectOptions options, boolean authenticationRequired) {
        // A host that will verify the controller asks even when the controller does not: it must prove itself.
        return authenticationRequired || options.dhchapCtrlSecret() != null;
    }

    static void authenticate(ConnectOptions options, int qid, int transactionId, Exchange exchange)
            throws NvmeException {
        if (options.dhchapSecret() == null) {
            throw NvmeStatusException.authenticationFailed(qid,
                    "the controller requires authentication and no dhchap_secret is given");
        }
        DhchapSecret hostSecret = null;
        Optional<DhchapSecret> controllerSecret = Optional.empty();
        try {
            hostSecret = DhchapSecret.parse(options.dhchapSecret());
            controllerSecret = options.dhchapCtrlSecret() == null ? Optional.empty()
                    : Optional.of(DhchapSecret.parse(options.dhchapCtrlSecret()));
            DhchapHost chap = new DhchapHost(hostSecret, controllerSecret, options.hostnqn(), options.nqn(),
                    List.of(DhchapHash.values()), List.of(DhGroup.values()), RANDOM);
            run(chap, transactionId, qid, exchange);
        } catch (DhchapSecretFormatException e) {
            throw NvmeStatusException.authenticationFailed(qid, e.getMessage()); // checked at parse; never here
        } finally {
            if (hostSecret != null) {
                hostSecret.destroy();
            }
            controllerSecret.ifPresent(DhchapSecret::destroy);
        }
    }

    private static void run(DhchapHost chap, int transactionId, int qid, Exchange exchange) throws NvmeException {
        try {
            send(exchange, chap.negotiate(transactionId));
            ByteBuffer challenge = receive(exchange);
            send(exchange, chap.onChallenge(challenge.array(), challenge.capacity()));
            ByteBuffer success1 = receive(exchange);
            Optional<byte[]> success2 = chap.onSuccess1(success1.array(), success1.capacity());
            if (success2.isPresent()) {
                send(exchange, success2.get());
            }
        } catch (NvmeStatusException e) {
            // A controller that refuses the commands themselves (it has no secret for this host) fails it too.
            throw NvmeStatusException.authenticationFailed(qid, "the controller answered " + e.getMessage());
        } catch (DhchapException e) {
            Optional<byte[]> failure2 = chap.failure2();
            if (failure2.isPresent()) {
                try {
                    send(exchange, failure2.get());
                } catch (NvmeException ignored) {
                    // the failure to report is the authentication's, not this courtesy message's
                }
            }
            throw NvmeStatusException.authenticationFailed(qid, e.getMessage());
        }
    }

    private static void send(Exchange exchange, byte[] payload) throws NvmeException {
        ByteBuffer data = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        exchange.run(new AdminCommand(STEP, (sqe, cid) -> FabricsCommands.authenticationSend(sqe, cid,
                payload.length), data, DataDirection.HOST_TO_CONTROLLER));
    }

    /** The received message in a zeroed buffer: bytes past it stay zero, which the decoder ignores. */
    private static ByteBuffer receive(Exchange exchange) throws NvmeException {
        ByteBuffer data = ByteBuffer.allocate(RECEIVE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        exchange.run(new AdminCommand(STEP, (sqe, cid) -> FabricsCommands.authenticationReceive(sqe, cid,
                RECEIVE_LENGTH), data, DataDirection.CONTROLLER_TO_HOST));
        return data;
    }
}
