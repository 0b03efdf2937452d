package dev.nvmeof.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import dev.nvmeof.protocol.tcp.BufferedOutput;
import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.tls.internal.PskClient;
import dev.nvmeof.tls.internal.PskServer;

/**
 * TLS 1.3 with an external PSK over a non-blocking socket, as a byte channel carrying the NVMe/TCP PDUs: the host's
 * engine and the target write plaintext into it and read plaintext from it. BouncyCastle's TLS protocol in its
 * non-blocking mode does the records; the JDK's JCA does the cryptography (AES-GCM with the CPU's instructions).
 *
 * <p>Use: {@link #client} or {@link #server}, then {@link #handshake()} on every readiness event until it returns
 * true (the caller's deadline bounds it: a peer that stalls never completes it). After that {@link #read} and
 * {@link #write}; both are safe from two threads (one reader, writers under the caller's own lock). Two things differ
 * from a socket, and the callers handle both:
 * <ul>
 * <li>{@link #write} may take bytes the socket has not: {@link #outputPending()} / {@link #flushOutput()}
 * ({@link BufferedOutput});</li>
 * <li>a read may decrypt more than fits: {@link #bufferedInput()} bytes wait with no readiness event for them.</li>
 * </ul>
 */
public final class TlsChannel implements GatheringByteChannel, ScatteringByteChannel, BufferedOutput {
    /** Ciphertext read from the socket at once. */
    private static final int NET_READ = 32 * 1024;
    /** The largest TLS record's plaintext (RFC 8446, 5.1): writes are cut into records of this size. */
    private static final int RECORD = 16 * 1024;
    /** Plaintext one {@link #write} takes at most, so that a writer never encrypts far ahead of the socket. */
    private static final int WRITE_LIMIT = 64 * 1024;

    private static final TlsCrypto CRYPTO = new JcaTlsCryptoProvider().create(new SecureRandom());

    private final SocketChannel socket;
    private final TlsProtocol protocol;
    private final PskClient client;
    private final PskServer server;
    private final byte[] netIn = new byte[NET_READ];
    private final ByteBuffer netInBuffer = ByteBuffer.wrap(netIn);
    private final ByteBuffer netOut = ByteBuffer.allocateDirect(WRITE_LIMIT + 4 * 1024);
    private final byte[] record = new byte[RECORD];
    /** For the single-buffer read and write (lock held). */
    private final ByteBuffer[] one = new ByteBuffer[1];
    private boolean handshakeDone;
    /** The first byte the peer sent, or -1: a TLS record starts with 20..24, an NVMe/TCP PDU with 0..9. */
    private int firstByte = -1;
    private boolean inputClosed;
    private volatile boolean closed;

    private TlsChannel(SocketChannel socket, TlsProtocol protocol, PskClient client, PskServer server) {
        this.socket = socket;
        this.protocol = protocol;
        this.client = client;
        this.server = server;
        netOut.flip();
    }

    /** A host's channel offering {@code psk}; its ClientHello waits to go out with the first {@link #handshake()}. */
    public static TlsChannel client(SocketChannel socket, DerivedTlsPsk psk) throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol();
        PskClient client = new PskClient(CRYPTO, psk);
        protocol.connect(client);
        return new TlsChannel(socket, protocol, client, null);
    }

    /** A target's channel, accepting the identities {@code lookup} knows. */
    public static TlsChannel server(SocketChannel socket, PskLookup lookup) throws IOException {
        TlsServerProtocol protocol = new TlsServerProtocol();
        PskServer server = new PskServer(CRYPTO, lookup);
        protocol.accept(server);
        return new TlsChannel(socket, protocol, null, server);
    }

    /** {@link #handshake(ByteBuffer)} with nothing read yet. */
    public boolean handshake() throws IOException {
        return handshake(null);
    }

    /**
     * Moves the handshake on with what the socket has (after {@code received}, bytes the caller already read, for a
     * target that looked at the first byte), and sends what it answers.
     *
     * @return true once the handshake completed; then plaintext may already wait ({@link #bufferedInput()})
     * @throws TlsHandshakeException naming the alert and what it means, or the peer's close
     */
    public boolean handshake(ByteBuffer received) throws IOException {
        synchronized (this) {
            if (handshakeDone) {
                return true;
            }
            try {
                if (received != null && received.hasRemaining()) {
                    int n = received.remaining();
                    received.get(netIn, 0, n);
                    offerHandshakeInput(n);
                }
                while (protocol.isHandshaking()) {
                    flushLocked();
                    netInBuffer.clear();
                    int n = socket.read(netInBuffer);
                    if (n < 0) {
                        throw new TlsHandshakeException("TLS handshake failed: the connection broke during the"
                                + " handshake (closed by the peer): a peer that does not speak TLS, or refused the PSK",
                                (short) -1, false, null);
                    }
                    if (n == 0) {
                        break;
                    }
                    offerHandshakeInput(n);
                }
                flushLocked();
            } catch (TlsFatalAlertReceived e) {
                throw received(e.getAlertDescription(), e);
            } catch (TlsFatalAlert e) {
                sendAlertQuietly();
                throw sent(e.getAlertDescription(), e);
            } catch (TlsHandshakeException e) {
                throw e;
            } catch (IOException e) {
                throw new TlsHandshakeException("TLS handshake failed: the connection broke during the handshake ("
                        + e.getMessage() + "): a peer that does not speak TLS, or refused the PSK", (short) -1,
                        false, e);
            }
            handshakeDone = !protocol.isHandshaking() && protocol.isConnected();
            return handshakeDone;
        }
    }

    private void offerHandshakeInput(int n) throws IOException {
        if (firstByte < 0 && n > 0) {
            firstByte = netIn[0] & 0xff;
        }
        protocol.offerInput(netIn, 0, n);
    }

    private TlsHandshakeException received(short alert, Throwable cause) {
        String meaning = switch (alert) {
            case TlsHandshakeException.UNKNOWN_PSK_IDENTITY -> ": the peer has no PSK for identity " + identity();
            case TlsHandshakeException.DECRYPT_ERROR -> ": the peer's PSK for identity " + identity()
                    + " differs from ours (the binder did not verify)";
            case TlsHandshakeException.HANDSHAKE_FAILURE -> ": the peer accepted no PSK and cipher suite offered";
            default -> "";
        };
        return new TlsHandshakeException("TLS handshake failed: the peer sent alert "
                + AlertDescription.getText(alert) + meaning, alert, false, cause);
    }

    private TlsHandshakeException sent(short alert, TlsFatalAlert cause) {
        if (firstByte >= 0 && (firstByte < 20 || firstByte > 24)) {
            return new TlsHandshakeException(String.format("TLS handshake failed: the peer does not speak TLS (its"
                    + " first byte 0x%02x starts no TLS record%s)", firstByte, firstByte <= 9
                            ? " but an NVMe/TCP PDU: a peer without TLS" : ""), alert, true, cause);
        }
        // BouncyCastle's message repeats the alert before "; ": only the detail after it is news.
        String message = cause.getMessage();
        int cut = message == null ? -1 : message.indexOf("; ");
        String detail = cut < 0 ? "" : " (" + message.substring(cut + 2) + ")";
        String meaning = switch (alert) {
            case TlsHandshakeException.UNKNOWN_PSK_IDENTITY -> "";
            case TlsHandshakeException.DECRYPT_ERROR -> ": the peer's PSK differs from ours";
            default -> "";
        };
        return new TlsHandshakeException("TLS handshake failed: sent alert " + AlertDescription.getText(alert)
                + meaning + detail, alert, true, cause);
    }

    /** The PSK identity: the one offered (host) or the one accepted (target, null before). */
    public String identity() {
        if (client != null) {
            return client.identity();
        }
        return server.identity();
    }

    /** The negotiated cipher suite's name, or "none" before the handshake chose one. */
    public String cipherSuite() {
        return client != null ? client.cipherSuite() : server.cipherSuite();
    }

    // ---- plaintext ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (this) {
            one[0] = dst;
            try {
                return (int) read(one, 0, 1);
            } finally {
                one[0] = null;
            }
        }
    }

    /**
     * Plaintext already decrypted, else one read of the socket and what it decrypts to.
     *
     * @return the bytes placed, 0 when nothing complete arrived, -1 once the peer closed
     */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (protocol.applicationDataAvailable() == 0 && !inputClosed) {
                netInBuffer.clear();
                int n = socket.read(netInBuffer);
                if (n < 0) {
                    inputClosed = true;
                } else if (n > 0) {
                    protocol.offerInput(netIn, 0, n);
                    flushLocked(); // what the input asked for: a KeyUpdate's answer, an alert
                }
            }
            long placed = 0;
            for (int i = offset; i < offset + length && protocol.applicationDataAvailable() > 0; i++) {
                ByteBuffer dst = dsts[i];
                if (dst.hasRemaining()) {
                    placed += protocol.readInput(dst, Math.min(dst.remaining(),
                            protocol.applicationDataAvailable()));
                }
            }
            if (placed == 0 && (inputClosed || protocol.isClosed())) {
                return -1;
            }
            return placed;
        }
    }

    /** Plaintext decrypted and not read yet: the socket will not signal it, so the reader reads again. */
    public int bufferedInput() {
        synchronized (this) {
            return protocol.applicationDataAvailable();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (this) {
            one[0] = src;
            try {
                return (int) write(one, 0, 1);
            } finally {
                one[0] = null;
            }
        }
    }

    /**
     * Encrypts up to {@link #WRITE_LIMIT} bytes into records and sends what the socket takes. Takes nothing while
     * earlier records still wait for the socket.
     *
     * @return the plaintext bytes taken (encrypted, perhaps not all sent yet: {@link #outputPending()})
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (!flushLocked()) {
                return 0;
            }
            long taken = 0;
            int filled = 0;
            for (int i = offset; i < offset + length && taken < WRITE_LIMIT; i++) {
                ByteBuffer src = srcs[i];
                while (src.hasRemaining() && taken < WRITE_LIMIT) {
                    int n = (int) Math.min(Math.min(src.remaining(), RECORD - filled), WRITE_LIMIT - taken);
                    src.get(record, filled, n);
                    filled += n;
                    taken += n;
                    if (filled == RECORD) {
                        protocol.writeApplicationData(record, 0, filled);
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                protocol.writeApplicationData(record, 0, filled);
            }
            flushLocked();
            return taken;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public boolean outputPending() {
        synchronized (this) {
            return netOut.hasRemaining() || protocol.getAvailableOutputBytes() > 0;
        }
    }

    @Override
    public boolean flushOutput() throws IOException {
        synchronized (this) {
            return flushLocked();
        }
    }

    /** Records to the socket until it is full; true when none waits. */
    private boolean flushLocked() throws IOException {
        while (true) {
            if (!netOut.hasRemaining()) {
                int available = protocol.getAvailableOutputBytes();
                if (available == 0) {
                    return true;
                }
                netOut.clear();
                protocol.readOutput(netOut, Math.min(available, netOut.capacity()));
                netOut.flip();
            }
            socket.write(netOut);
            if (netOut.hasRemaining()) {
                return false;
            }
        }
    }

    private void sendAlertQuietly() {
        try {
            flushLocked(); // BouncyCastle queued the alert it failed with
        } catch (IOException e) {
            // the handshake failed anyway; the caller closes the socket
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && socket.isOpen();
    }

    /** Sends close_notify if the socket takes it at once, then closes the socket. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (handshakeDone && !protocol.isClosed()) {
                    protocol.close();
                    flushLocked();
                }
            } catch (IOException e) {
                // closing: the socket goes below either way
            } finally {
                socket.close();
            }
        }
    }

    @Override
    public String toString() {
        return "TlsChannel[" + (client != null ? "client" : "server") + ", identity=" + identity() + ", suite="
                + cipherSuite() + (handshakeDone ? "" : ", handshaking") + "]";
    }
}
