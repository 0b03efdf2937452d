package dev.nvmeof.protocol.tls;

/**
 * A TLS PSK's text is not a valid {@code NVMeTLSkey-1} interchange format, or a keyring line is malformed. The message
 * names the part that is wrong and never contains the text itself.
 */
public class TlsPskFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsPskFormatException(String message) {
        super(message);
    }
}
