package dev.nvmeof.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.tls.TlsChannel;

/**
 * A TLS client in front of the target for the plain test host (as stunnel would be): it accepts one plain connection
 * on loopback and carries its bytes over TLS with {@code psk} to the target, so the blocking test host can say
 * whatever it likes (another host NQN than the PSK's identity, say) inside a real TLS session. One thread, one
 * selector, both channels non-blocking.
 */
final class TlsRelay implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final InetSocketAddress target;
    private final DerivedTlsPsk psk;
    private final Thread thread;
    /** Completes when the TLS handshake did, or exceptionally with its failure. */
    final CompletableFuture<TlsChannel> handshake = new CompletableFuture<>();
    private volatile boolean stop;

    TlsRelay(InetSocketAddress target, DerivedTlsPsk psk) throws IOException {
        this.target = target;
        this.psk = psk;
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::run, "tls-relay");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void run() {
        try (SocketChannel plain = listener.accept(); SocketChannel up = SocketChannel.open(target);
                Selector selector = Selector.open()) {
            plain.configureBlocking(false);
            up.configureBlocking(false);
            plain.register(selector, SelectionKey.OP_READ);
            SelectionKey upKey = up.register(selector, SelectionKey.OP_READ);
            TlsChannel tls = TlsChannel.client(up, psk);
            ByteBuffer toTarget = ByteBuffer.allocate(64 * 1024);
            ByteBuffer toHost = ByteBuffer.allocate(64 * 1024);
            while (!stop) {
                selector.select(20);
                selector.selectedKeys().clear();
                if (!handshake.isDone()) {
                    if (!tls.handshake()) {
                        upKey.interestOps(SelectionKey.OP_READ | (tls.outputPending() ? SelectionKey.OP_WRITE : 0));
                        continue;
                    }
                    upKey.interestOps(SelectionKey.OP_READ);
                    handshake.complete(tls);
                }
                if (plain.read(toTarget) < 0) {
                    return;
                }
                toTarget.flip();
                tls.write(toTarget);
                toTarget.compact();
                tls.flushOutput();
                do {
                    long n = tls.read(toHost);
                    if (n < 0) {
                        return;
                    }
                    toHost.flip();
                    while (toHost.hasRemaining() && !stop) {
                        plain.write(toHost); // the test host reads promptly: a short spin at most
                    }
                    toHost.clear();
                } while (tls.bufferedInput() > 0);
            }
        } catch (IOException | RuntimeException e) {
            handshake.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        stop = true;
        listener.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
