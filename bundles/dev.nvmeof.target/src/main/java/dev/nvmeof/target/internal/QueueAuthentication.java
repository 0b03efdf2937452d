package dev.nvmeof.target.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.GenericStatus;
import dev.nvmeof.protocol.NvmeStatus;
import dev.nvmeof.protocol.SglDescriptor;
import dev.nvmeof.protocol.auth.DhchapController;
import dev.nvmeof.protocol.auth.DhchapException;
import dev.nvmeof.protocol.auth.DhchapPolicy;
import dev.nvmeof.protocol.auth.DhchapSecret;

/**
 * DH-HMAC-CHAP on one queue of a host that has secrets (Linux {@code nvmet_execute_auth_send} / {@code _receive}):
 * Authentication Send feeds the {@link DhchapController}, Authentication Receive returns what it gives. Until the
 * transaction succeeds the queue serves nothing else: {@link #refuse} answers Authentication Required. Logs each
 * outcome with the queue, host and reason, never key material. Confined to the connection's event loop.
 */
final class QueueAuthentication {
    /** The largest payload an Authentication Send may carry: an ffdhe8192 reply is 1168 bytes. */
    static final int MAX_SEND_LENGTH = 8192;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final DhchapPolicy policy;
    private final DhchapController controller;
    private final String where;
    /** The last outcome logged, so each transaction's outcome is logged once (re-authentication logs again). */
    private DhchapController.State reported;

    QueueAuthentication(Engine engine, DhchapPolicy policy, String hostNqn, String subsystemNqn, int qid) {
        this.engine = engine;
        this.policy = policy;
        this.controller = new DhchapController(policy, hostNqn, subsystemNqn, RANDOM);
        this.where = "queue " + qid + " of " + LogText.printable(hostNqn) + " on " + LogText.printable(subsystemNqn);
    }

    boolean isAuthenticated() {
        return controller.isAuthenticated();
    }

    /** Answers a command on a queue that has not authenticated (NVMe Base 2.0: Authentication Required, DNR). */
    static void refuse(CommandSlot slot) {
        slot.fail(NvmeStatus.commandSpecific(CommandSpecificStatus.AUTHENTICATION_REQUIRED, true));
    }

    /** Authentication Send; {@code data} is its payload, or null when it has not arrived yet. */
    void send(CommandSlot slot, ByteBuffer data) {
        if (!FabricsCommands.isDhchapSecurityProtocol(slot.sqe)) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        long length = FabricsCommands.authenticationLength(slot.sqe);
        if (length == 0 || length > MAX_SEND_LENGTH) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        if (data == null) {
            int dptr = slot.sqe.dptrIndex();
            if (SglDescriptor.isTransportDataBlock(slot.sqeBuffer, dptr)
                    && SglDescriptor.length(slot.sqeBuffer, dptr) == length) {
                slot.needHostData((int) length);
            } else {
                slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            }
            return;
        }
        if (data.remaining() < length) {
            slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            return;
        }
        byte[] payload = new byte[(int) length];
        data.get(data.position(), payload);
        controller.onSend(payload, payload.length);
        slot.respond(0);
        report();
    }

    /** Authentication Receive: the challenge, Success1 or Failure1 in C2H data of at most AL bytes. */
    void receive(CommandSlot slot, ScratchBuffer scratch) {
        if (!FabricsCommands.isDhchapSecurityProtocol(slot.sqe)) {
            slot.fail(GenericStatus.INVALID_FIELD, true);
            return;
        }
        byte[] message;
        try {
            message = controller.onReceive();
        } catch (DhchapException e) {
            slot.fail(GenericStatus.COMMAND_SEQUENCE_ERROR, true);
            return;
        }
        if (message.length > FabricsCommands.authenticationLength(slot.sqe)) {
            slot.fail(GenericStatus.DATA_SGL_LENGTH_INVALID, true);
            return;
        }
        scratch.zeroed(message.length).put(0, message);
        slot.sendScratch(0, message.length);
        report();
    }

    /** Logs a transaction's success or failure once; the secrets stay for a re-authentication until close. */
    private void report() {
        DhchapController.State state = controller.state();
        boolean failed = isFailure(state);
        if (state == reported || failed && isFailure(reported)) {
            return;
        }
        if (state == DhchapController.State.AUTHENTICATED) {
            reported = state;
            engine.log(System.Logger.Level.INFO, "authenticated " + where + " with " + controller.hash().orElseThrow()
                    + " and " + controller.group().orElseThrow());
        } else if (failed) {
            reported = state;
            engine.log(System.Logger.Level.WARNING, "authentication failed on " + where + ": "
                    + controller.failure().map(Throwable::getMessage).orElse("unknown"));
        } else {
            reported = null; // a transaction in progress: its outcome is still to be logged
        }
    }

    private static boolean isFailure(DhchapController.State state) {
        return state == DhchapController.State.FAILED || state == DhchapController.State.FAILURE1_READY;
    }

    /** Called when the queue closes, whatever state the transaction is in: the secrets' copies are zeroed. */
    void close() {
        destroySecrets();
    }

    private void destroySecrets() {
        policy.hostSecret().destroy();
        policy.controllerSecret().ifPresent(DhchapSecret::destroy);
    }
}
