package dev.nvmeof.transport.tcp.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.protocol.LoopChoice;
import dev.nvmeof.protocol.NanoClock;
import dev.nvmeof.spi.transport.Transport;
import dev.nvmeof.spi.transport.TransportAssociation;

/**
 * The software NVMe/TCP transport, {@code tcp}: the host CPU runs NVMe/TCP over NIO sockets on a few event loops
 * (one per CPU by default), each queue owned by one loop. A Declarative Services component registering
 * {@link Transport} with {@code transport=tcp}; in plain Java, construct it and {@link #close()} it.
 */
@Component(service = Transport.class, property = Transport.NAME_PROPERTY + "=tcp")
public final class TcpTransport implements Transport, AutoCloseable {
    public static final String NAME = "tcp";

    /**
     * What Linux's {@code nvme_tcp_transport} declares: {@code .required_opts = NVMF_OPT_TRADDR} and
     * {@code .allowed_opts} (drivers/nvme/host/tcp.c), with its TLS options {@code tls}, {@code keyring} and
     * {@code tls_key} ({@code concat}, TLS after DH-HMAC-CHAP, is not one this host knows).
     */
    static final OptionPolicy POLICY = new OptionPolicy(NAME,
            Set.of("trsvcid", "reconnect_delay", "host_traddr", "ctrl_loss_tmo", "hdr_digest", "data_digest",
                    "nr_write_queues", "nr_poll_queues", "tos", "host_iface", "tls", "keyring", "tls_key"),
            Set.of("traddr"));

    private static final long SHUTDOWN_MILLIS = 5_000;

    private final EventLoop[] loops;
    private final NanoClock clock;
    private final AtomicInteger next = new AtomicInteger();
    /** I/O queues per loop, by loop index. */
    private final int[] ioQueues;

    /** As a DS component: one event loop per CPU, the system clock; the loops start now. */
    @Activate
    public TcpTransport() {
        this(Runtime.getRuntime().availableProcessors(), NanoClock.SYSTEM);
    }

    /** In plain Java: {@code eventLoops} loops (at least one) keeping deadlines with {@code clock}. */
    public TcpTransport(int eventLoops, NanoClock clock) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("at least one event loop, not " + eventLoops);
        }
        this.clock = clock;
        this.loops = new EventLoop[eventLoops];
        this.ioQueues = new int[eventLoops];
        for (int i = 0; i < eventLoops; i++) {
            loops[i] = new EventLoop("nvme-tcp-" + i, clock);
        }
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptionPolicy optionPolicy() {
        return POLICY;
    }

    @Override
    public TransportAssociation associate(ConnectOptions options) throws NvmeException {
        return TcpAssociation.of(this, options);
    }

    /** Stops the event loops (their sockets close with their selectors' owners: close associations first). */
    @Deactivate
    @Override
    public void close() {
        for (EventLoop loop : loops) {
            loop.shutdown(SHUTDOWN_MILLIS);
        }
    }

    /**
     * The loop for a new queue ({@link LoopChoice}): an admin queue's in turn, an I/O queue's the one with the fewest
     * I/O queues. {@link #release} gives the place back when the queue closes.
     */
    synchronized EventLoop loopFor(int qid) {
        int turn = next.getAndIncrement();
        if (qid == 0) {
            return loops[Math.floorMod(turn, loops.length)];
        }
        int chosen = LoopChoice.fewestIoQueues(turn, loops.length, i -> ioQueues[i]);
        ioQueues[chosen]++;
        return loops[chosen];
    }

    /** A queue {@link #loopFor} placed on {@code loop} is gone. */
    synchronized void release(EventLoop loop, int qid) {
        for (int i = 0; qid != 0 && i < loops.length; i++) {
            if (loops[i] == loop) {
                ioQueues[i]--;
            }
        }
    }

    NanoClock clock() {
        return clock;
    }

    /** The loop threads, for tests that measure them. */
    Thread[] loopThreads() {
        Thread[] threads = new Thread[loops.length];
        for (int i = 0; i < loops.length; i++) {
            threads[i] = loops[i].thread();
        }
        return threads;
    }
}
