package dev.nvmeof.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host end of the guest's control channel: a Unix socket this side listens on and QEMU connects to at start-up
 * ({@code -chardev socket,id=ctl,path=...} in client mode, wired to the guest's second serial port). A reader thread
 * splits what the guest writes into lines (ISO-8859-1, so any byte survives) and queues them; callers take lines
 * with a deadline. Everything received is also written to a transcript file.
 */
final class ControlChannel implements AutoCloseable {
    /** Queued after the last line when the guest side closes (QEMU exited). Compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String CLOSED = new String("<closed>");

    private final ServerSocketChannel server;
    private final Path socket;
    private final OutputStream transcript;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile SocketChannel channel;

    private ControlChannel(ServerSocketChannel server, Path socket, OutputStream transcript) {
        this.server = server;
        this.socket = socket;
        this.transcript = transcript;
    }

    /** Listens on {@code socket} (an existing file there is removed first). */
    static ControlChannel listen(Path socket, Path transcript) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            return new ControlChannel(server, socket, Files.newOutputStream(transcript));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Waits until QEMU has connected, then starts the reader.
     *
     * @throws IOException when QEMU exits first, the wait times out, or accepting fails
     */
    void awaitConnection(Process qemu, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        Thread acceptor = new Thread(() -> {
            try {
                accepted.complete(server.accept());
            } catch (IOException | RuntimeException e) {
                accepted.completeExceptionally(e);
            }
        }, "interop-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            CompletableFuture.anyOf(accepted, qemu.onExit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("QEMU did not connect to the control socket within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("accepting QEMU's control connection failed", e.getCause());
        }
        if (!accepted.isDone()) {
            throw new IOException("QEMU exited with status " + qemu.exitValue()
                    + " before it connected to the control socket");
        }
        channel = accepted.join();
        Thread reader = new Thread(this::readLoop, "interop-control-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                transcript.write(buffer.array(), 0, buffer.limit());
                transcript.flush();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.ISO_8859_1);
                        lines.add(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // closed by close(), or QEMU went away: either way the channel has ended
        } finally {
            if (line.size() > 0) {
                lines.add(line.toString(StandardCharsets.ISO_8859_1));
            }
            lines.add(CLOSED);
        }
    }

    /**
     * The next line, or {@code null} if none arrives before {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws IOException when the channel has closed and every line before that has been taken
     */
    String readLine(long deadlineNanos) throws IOException, InterruptedException {
        String line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == CLOSED) {
            lines.add(CLOSED);
            throw new IOException("the control channel closed (QEMU exited?)");
        }
        return line;
    }

    /** Sends one line (the newline is added). */
    synchronized void send(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void close() {
        try {
            SocketChannel connected = channel;
            if (connected != null) {
                connected.close();
            }
            server.close();
            transcript.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort: the process behind it is gone
        }
    }
}
