package dev.nvmeof.transport.tcp.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.tls.DerivedTlsPsk;
import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskDerivation;
import dev.nvmeof.protocol.tls.TlsPskFormatException;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportLimits;
import dev.nvmeof.spi.transport.TransportQueue;

/**
 * One controller's use of the {@code tcp} transport: the resolved target address, the local address to bind
 * ({@code host_traddr}, or the first address of {@code host_iface}), and the queues created for it, each on one
 * of the transport's event loops.
 */
final class TcpAssociation implements TransportAssociation {
    /** The core caps I/O queues by CPU count and what the controller grants; sockets are not the limit. */
    static final int MAX_IO_QUEUES = 0xFFFF;
    /** The most one command moves; the core also caps by the controller's MDTS. */
    static final int MAX_TRANSFER_SIZE = 1 << 20;

    private final TcpTransport transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final int tos;
    /** Every queue's TLS PSK when the connection runs over TLS, else null; zeroed when the association closes. */
    private final DerivedTlsPsk psk;
    private final List<TcpQueue> queues = new ArrayList<>();
    private boolean closed;

    private TcpAssociation(TcpTransport transport, InetSocketAddress remote, InetSocketAddress local, int tos,
            DerivedTlsPsk psk) {
        this.transport = transport;
        this.remote = remote;
        this.local = local;
        this.tos = tos;
        this.psk = psk;
    }

    static TcpAssociation of(TcpTransport transport, ConnectOptions options) throws NvmeException {
        String target = options.traddr() + ":" + options.trsvcid();
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(options.traddr()), options.trsvcid());
        } catch (UnknownHostException | SecurityException e) {
            throw NvmeTransportException.unreachable(target, e);
        }
        InetSocketAddress local = null;
        try {
            if (options.hostTraddr() != null) {
                local = new InetSocketAddress(InetAddress.getByName(options.hostTraddr()), 0);
            } else if (options.hostIface() != null) {
                local = new InetSocketAddress(interfaceAddress(options.hostIface(), remote.getAddress()), 0);
            }
        } catch (UnknownHostException | SocketException e) {
            throw NvmeTransportException.of("cannot connect to " + target + " from " + (options.hostTraddr() != null
                    ? options.hostTraddr() : options.hostIface()) + ": " + e.getMessage(), null, false, e);
        }
        return new TcpAssociation(transport, remote, local, options.tos(), options.tls() ? tlsPsk(options) : null);
    }

    /**
     * The TLS PSK this host offers the subsystem: derived from {@code tls_key}, or from the key the {@code keyring}
     * file holds for this host and subsystem, with an identity of version 0 ({@code NVMe0R<hh> <hostnqn>
     * <subnqn>}, what Linux hosts offer) and RFC 8446's HKDF-Expand-Label.
     */
    static DerivedTlsPsk tlsPsk(ConnectOptions options) throws NvmeException {
        String hostNqn = options.hostnqn();
        if (hostNqn == null) {
            throw InvalidOptionException.of("tls", "needs the host NQN, which the host core supplies");
        }
        TlsPsk configured;
        if (options.tlsKey() != null) {
            try {
                configured = TlsPsk.parse(options.tlsKey());
            } catch (TlsPskFormatException e) {
                throw InvalidOptionException.of("tls_key", e.getMessage());
            }
        } else if (options.keyring() != null) {
            try (TlsPskKeyring keyring = TlsPskKeyring.read(Path.of(options.keyring()))) {
                TlsPsk found = keyring.configured(hostNqn, options.nqn()).orElseThrow(() -> InvalidOptionException.of(
                        "keyring", options.keyring() + " has no TLS key for host " + hostNqn + " and subsystem "
                                + options.nqn()));
                configured = TlsPsk.of(found.keyBytes(), found.retainedHash());
            } catch (IOException | RuntimeException e) {
                throw InvalidOptionException.of("keyring", e.getMessage());
            }
        } else {
            throw InvalidOptionException.of("tls", "needs a key: tls_key=NVMeTLSkey-1:.. or keyring=<file>");
        }
        try (configured) {
            return TlsPskDerivation.derive(configured, hostNqn, options.nqn(), 0, HkdfLabelEncoding.RFC_8446);
        }
    }

    private static InetAddress interfaceAddress(String name, InetAddress like) throws SocketException {
        NetworkInterface nic = NetworkInterface.getByName(name);
        if (nic == null) {
            throw new SocketException("no interface " + name);
        }
        for (Enumeration<InetAddress> all = nic.getInetAddresses(); all.hasMoreElements();) {
            InetAddress address = all.nextElement();
            if ((address instanceof Inet4Address) == (like instanceof Inet4Address)) {
                return address;
            }
        }
        throw new SocketException("interface " + name + " has no address of the target's family");
    }

    /** No polling: the event loop delivers every completion (see {@link TcpQueue#poll()}). */
    @Override
    public TransportLimits limits() {
        return new TransportLimits(MAX_IO_QUEUES, MAX_TRANSFER_SIZE, 1, false);
    }

    @Override
    public TransportQueue createQueue(QueueParameters parameters, QueueCallbacks callbacks) throws NvmeException {
        TcpQueue queue;
        synchronized (this) {
            if (closed) {
                throw NvmeTransportException.of("the tcp association to " + address() + " is closed", null, false,
                        null);
            }
            EventLoop loop = transport.loopFor(parameters.qid());
            queue = new TcpQueue(loop, parameters, callbacks, transport.clock(), remote, local, tos, psk,
                    () -> transport.release(loop, parameters.qid()));
            queues.add(queue);
        }
        try {
            queue.open();
        } catch (NvmeException | RuntimeException e) {
            synchronized (this) {
                queues.remove(queue);
            }
            queue.releaseLoop();
            throw e;
        }
        return queue;
    }

    @Override
    public synchronized String describe() {
        String from = local != null ? local.getAddress().getHostAddress() : "any";
        for (TcpQueue queue : queues) {
            if (queue.state() == TcpQueue.LIVE) {
                from = queue.localAddress();
                break;
            }
        }
        return "tcp " + address() + " from " + from + (psk == null ? "" : " over TLS 1.3 (" + psk.identity() + ")");
    }

    private String address() {
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    @Override
    public void close() {
        List<TcpQueue> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(queues);
            queues.clear();
        }
        for (TcpQueue queue : open) {
            queue.close();
        }
        if (psk != null) {
            psk.close();
        }
    }
}
