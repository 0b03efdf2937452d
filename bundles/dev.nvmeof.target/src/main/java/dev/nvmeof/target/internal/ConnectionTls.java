package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.PskIdentity;
import dev.nvmeof.protocol.tls.TlsPskFormatException;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.tls.TlsChannel;

/**
 * A connection's TLS as its listener's {@link ListenerSecurity} sets it: whether TLS starts (at once, or when the
 * first byte is a ClientHello's rather than an ICReq's), the handshake, the channel the PDUs then go through, and the
 * host and subsystem the PSK identity admits. Without TLS it passes the socket through. Loop thread only.
 */
final class ConnectionTls {
    /** The first byte of a TLS record carrying a handshake message (a ClientHello); an ICReq's is 0. */
    private static final byte HANDSHAKE_RECORD = 0x16;

    private final SocketChannel socket;
    private final TlsPskKeyring keyring;
    /** Null until TLS starts (and for good on a plain connection). */
    private TlsChannel channel;
    private boolean handshaking;
    /** Whether the first bytes decide between TLS and plain NVMe/TCP ({@link ListenerSecurity.Tls#ALLOWED}). */
    private boolean undecided;

    ConnectionTls(SocketChannel socket, ListenerSecurity security) throws IOException {
        this.socket = socket;
        this.keyring = security.keyring();
        if (security.tls() == ListenerSecurity.Tls.REQUIRED) {
            start();
        } else {
            undecided = security.tls() == ListenerSecurity.Tls.ALLOWED;
        }
    }

    private void start() throws IOException {
        channel = TlsChannel.server(socket, identity -> keyring.derive(identity, HkdfLabelEncoding.RFC_8446));
        handshaking = true;
    }

    /** Reads PDU bytes: through TLS once it started, else from the socket. */
    int read(ByteBuffer dst) throws IOException {
        return channel != null ? channel.read(dst) : socket.read(dst);
    }

    /** Writes PDU bytes: through TLS once it started (records it holds: {@link #outputPending}), else to the socket. */
    int write(ByteBuffer src) throws IOException {
        return channel != null ? channel.write(src) : socket.write(src);
    }

    /** Writes PDU bytes from several buffers in one call; plain connections only ({@link #encrypts}). */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (channel != null) {
            throw new IllegalStateException("a TLS connection writes one buffer at a time");
        }
        return socket.write(srcs, offset, length);
    }

    /** Whether PDUs go through TLS (else straight to the socket). */
    boolean encrypts() {
        return channel != null;
    }

    /** Whether the TLS handshake still runs (nothing of NVMe/TCP yet). */
    boolean handshaking() {
        return handshaking;
    }

    /**
     * Looks at a connection's first bytes when its listener allows both: true when they begin a TLS handshake, which
     * then starts with them as its first input ({@link #handshake}).
     */
    boolean startsWith(ByteBuffer firstBytes) throws IOException {
        if (!undecided || !firstBytes.hasRemaining()) {
            return false;
        }
        undecided = false;
        if (firstBytes.get(firstBytes.position()) != HANDSHAKE_RECORD) {
            return false;
        }
        start();
        return true;
    }

    /**
     * One step of the handshake with what the socket has ({@code received}: bytes already read).
     *
     * @return true once it completed
     * @throws dev.nvmeof.tls.TlsHandshakeException naming why it failed
     */
    boolean handshake(ByteBuffer received) throws IOException {
        if (channel.handshake(received)) {
            handshaking = false;
        }
        return !handshaking;
    }

    /** Whether encrypted records wait for the socket. */
    boolean outputPending() {
        return channel != null && channel.outputPending();
    }

    /** Sends the records that wait; true when none is left (always without TLS). */
    boolean flushOutput() throws IOException {
        return channel == null || channel.flushOutput();
    }

    /** Plaintext decrypted and not read yet: the socket will not signal it. */
    int bufferedInput() {
        return channel == null || handshaking ? 0 : channel.bufferedInput();
    }

    /** The PSK identity's host and subsystem NQN must be the Connect's (true without TLS). */
    boolean admits(String hostNqn, String subsystemNqn) {
        if (channel == null) {
            return true;
        }
        try {
            PskIdentity identity = PskIdentity.parse(channel.identity());
            return identity.hostNqn().equals(hostNqn) && identity.subsystemNqn().equals(subsystemNqn);
        } catch (TlsPskFormatException e) {
            return false;
        }
    }

    /** The PSK identity in use, or null without TLS (for logs). */
    String identity() {
        return channel == null ? null : channel.identity();
    }

    String cipherSuite() {
        return channel == null ? "none" : channel.cipherSuite();
    }

    /** Sends close_notify if the socket takes it, then closes the socket. */
    void close() {
        if (channel == null) {
            EventLoop.closeQuietly(socket);
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            EventLoop.closeQuietly(socket);
        }
    }
}
