package dev.nvmeof.interop;

import java.time.Duration;

/** A command run in the guest through the control channel timed out or, for {@link QemuGuest#execOk}, failed. */
public class GuestCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String output;

    private GuestCommandException(String message, String command, String output) {
        super(message);
        this.command = command;
        this.output = output;
    }

    static GuestCommandException timedOut(String command, Duration timeout, String partialOutput,
            boolean received) {
        return new GuestCommandException("guest command timed out after " + timeout.toMillis() + " ms: " + command
                + (received ? " (the guest received it and ran it)"
                        : " (the guest never said it received it: lost or delayed on the control channel)")
                + "\n--- output so far ---\n" + partialOutput, command, partialOutput);
    }

    /** This timeout with what the guest showed after it (its kernel log's tail) added to the message. */
    GuestCommandException withGuestState(String guestState) {
        GuestCommandException described = new GuestCommandException(getMessage() + "\n" + guestState, command,
                output);
        described.setStackTrace(getStackTrace());
        return described;
    }

    static GuestCommandException failed(String command, QemuGuest.ExecResult result) {
        return new GuestCommandException("guest command exited with status " + result.exitStatus() + ": " + command
                + "\n--- output ---\n" + result.output(), command, result.output());
    }

    /** The command as sent to the guest. */
    public String command() {
        return command;
    }

    /** What the command printed (up to the timeout, for a timeout). */
    public String output() {
        return output;
    }
}
