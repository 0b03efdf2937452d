package dev.nvmeof.shell.internal;

/**
 * A command failed: the message is the one line the user sees (what was wrong, never a stack trace), the status what
 * nvme-cli would exit with (an errno such as {@link #EINVAL} for bad input, the NVMe status for a refused command).
 */
public final class ShellException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final int EINVAL = 22;
    public static final int ENODEV = 19;
    public static final int EIO = 5;

    private final int status;

    public ShellException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Bad input: an unknown option, a missing or malformed value. */
    public static ShellException usage(String message) {
        return new ShellException(EINVAL, message);
    }

    public int status() {
        return status;
    }
}
