package dev.nvmeof.interop;

/**
 * The harness cannot give a test its guest: QEMU or a Debian package is missing, the guest image cannot be built, or
 * the guest did not boot (twice). {@link InteropExtension} turns it into a skip, or a failure when {@code CI} is set.
 */
public class GuestUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestUnavailableException(String message) {
        super(message);
    }

    public GuestUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
