package dev.nvmeof.tls;

import java.io.IOException;

/**
 * A TLS handshake that failed, with the alert that ended it: sent by us ({@link #sent()}) or by the peer. The
 * message says what that means for NVMe/TCP (an unknown PSK identity, a PSK that differs), never key material.
 */
public final class TlsHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** TLS alert descriptions (RFC 8446, 6) that the messages explain. */
    public static final short HANDSHAKE_FAILURE = 40;
    public static final short DECRYPT_ERROR = 51;
    public static final short PROTOCOL_VERSION = 70;
    public static final short INSUFFICIENT_SECURITY = 71;
    public static final short UNKNOWN_PSK_IDENTITY = 115;

    private final short alert;
    private final boolean sent;

    public TlsHandshakeException(String message, short alert, boolean sent, Throwable cause) {
        super(message, cause);
        this.alert = alert;
        this.sent = sent;
    }

    /** The TLS alert description, or -1 when the connection closed without one. */
    public short alert() {
        return alert;
    }

    /** Whether we sent the alert (else the peer did). */
    public boolean sent() {
        return sent;
    }
}
