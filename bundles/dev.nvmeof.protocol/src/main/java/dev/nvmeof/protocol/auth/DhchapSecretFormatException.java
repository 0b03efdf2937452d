package dev.nvmeof.protocol.auth;

/**
 * A DH-HMAC-CHAP secret's text is not a valid {@code DHHC-1} representation. The message names the part that is wrong
 * and never contains the text itself.
 */
public class DhchapSecretFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public DhchapSecretFormatException(String message) {
        super(message);
    }
}
