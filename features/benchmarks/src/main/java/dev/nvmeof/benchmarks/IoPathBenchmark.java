package dev.nvmeof.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * The host's steady-state 4 KiB I/O path through {@link BlockDevice#submit(IoRequest)}, for the allocation figure
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}): it should be 0 B/op on both transports, {@code tcp} and
 * {@code tcp_offload} (the emulated NIC's engine thread included, it runs in this JVM), reads and writes. Speed is
 * secondary here; the figures of benchmark c ({@code cpu.CpuPerIo}) are the CPU ones.
 *
 * <p><b>Only the host side is counted.</b> JMH's GC profiler counts what every thread of the benchmark JVM
 * allocated, so the target runs in another process ({@link ExternalTarget}: the target appliance jar, 127.0.0.1 on a
 * free port, one RAM namespace, one event loop). This JVM holds the host ({@code EmbeddedNvmeHost}, one I/O queue),
 * the transport ({@code tcp}: {@link TcpTransportRuntime} with one event loop; {@code tcp_offload}: the offload ULP,
 * the driver kit's {@link NicOffloadDriver} and one emulated NIC function, acme-like, port {@code p1p1} =
 * 127.0.0.2/24, as {@code cpu.Rig} assembles them) and the benchmark thread.
 *
 * <p><b>The loop.</b> Closed, {@code depth} reused {@link IoRequest}s (default 1: QD1), each with its own 4 KiB
 * direct buffer. One benchmark operation takes the next request in turn, waits for its previous submission to
 * complete (a per-request volatile flag set by its callback, which also unparks the benchmark thread: a short spin,
 * then {@code parkNanos}, bounded by a 10 s deadline), checks its status and submits it again at the next 4 KiB
 * offset (sequential over the first {@value #SPAN_BYTES} bytes). Nothing on this path allocates on the benchmark
 * side: the callbacks are objects made once, the counters are fields, failures are only allocated when they occur.
 * The {@code CompletableFuture} conveniences are not used.
 *
 * <pre>
 * java -jar features/benchmarks/target/benchmarks.jar IoPathBenchmark -prof gc -f 1 -wi 3 -w 2s -i 3 -r 2s
 * </pre>
 * The target appliance jar ({@code features/target/target/nvmeof-target.jar}) must be built; see
 * {@link ExternalTarget} for where it is looked for ({@code -jvmArgsAppend -Dnvmeof.target.jar=PATH} to name it).
 *
 * <p><b>Reading the figure.</b> JMH's own bookkeeping in the fork (the GC profiler's MXBean look-ups and the result
 * sent to the runner, on its {@code main} thread) and the host's keep-alive add a few KiB per iteration whatever
 * the number of I/Os: about 0.2 B/op with 2 s iterations, a quarter of that with 10 s ones. A figure that stays put
 * when the iterations get longer is per I/O. To find what allocates, record with small TLABs so that every couple of
 * KiB leaves a stack trace:
 * <pre>
 * jfr configure --input profile --output alloc.jfc jdk.ObjectAllocationInNewTLAB#enabled=true \
 *     jdk.ObjectAllocationInNewTLAB#stackTrace=true jdk.ObjectAllocationOutsideTLAB#enabled=true
 * java -jar benchmarks.jar IoPathBenchmark -p transport=tcp_offload -p op=read -prof gc -f 1 -wi 3 -w 2s -i 3 -r 2s \
 *     -jvmArgsAppend "-XX:TLABSize=2k -XX:-ResizeTLAB -XX:StartFlightRecording=filename=io.jfr,settings=alloc.jfc"
 * jfr print --events jdk.ObjectAllocationInNewTLAB --stack-depth 20 io.jfr
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class IoPathBenchmark {
    static final String NQN = "nqn.2026-01.dev.nvmeof:bench-iopath";
    static final int BLOCK = 512;
    static final int IO_SIZE = 4096;
    static final long NAMESPACE_BYTES = 64L << 20;
    /** The I/Os cycle over this many bytes from offset 0. */
    static final long SPAN_BYTES = 16L << 20;
    /** As the acme bundle declares it; the same as {@code cpu.Rig}. */
    static final VendorProfile ACME = VendorProfile.of("acme", 0x1AC3, 0x0100, "tos");
    static final NicCapabilities ACME_NIC = new NicCapabilities(0x1AC3, 0x0100, "A1", 25_000, 8, 128 * 1024, 32,
            false);
    static final String NIC_PORT_ADDRESS = "127.0.0.2/24";
    static final String TLS_HOST_NQN = "nqn.2026-01.dev.nvmeof:bench-iopath-host";
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SPINS = 64;

    /** {@code tcp_tls}: the tcp transport over TLS 1.3 with a PSK (TLS_AES_128_GCM_SHA256) to a TLS-only listener. */
    @Param({"tcp", "tcp_offload", "tcp_tls"})
    public String transport;

    @Param({"read", "write"})
    public String op;

    /**
     * Requests in flight (closed loop): 1 is QD1; at 32 the requests' buffers land on changing tags, NIC slots and
     * engine slots, which is what a per-tag view of the caller's buffer would allocate for.
     */
    @Param({"1", "32"})
    public int depth;

    /** This trial's stack, most recently started first; {@link Leftovers} closes it. */
    private Deque<AutoCloseable> started;
    private BlockDevice device;
    private Slot[] slots;
    private boolean write;
    private long next;
    private long sequence;
    private long spanMask;
    volatile Thread waiter;

    /** One reused request, its buffer, and whether its last submission completed (the callback's only write). */
    final class Slot implements IoRequest.Callback {
        final IoRequest request = new IoRequest();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(IO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        volatile boolean done = true;

        Slot(int index) {
            request.callback(this);
            for (int i = 0; i < IO_SIZE; i += 8) {
                buffer.putLong(i, 0x9E3779B97F4A7C15L * (i + 1) ^ index);
            }
        }

        @Override
        public void completed(IoRequest r) {
            done = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Leftovers.closeAll(); // a previous trial's stack, when JMH runs trials in one JVM (-f 0)
        if (Long.bitCount(SPAN_BYTES / IO_SIZE) != 1) {
            throw new IllegalStateException("span must be a power of two of I/Os");
        }
        spanMask = SPAN_BYTES / IO_SIZE - 1;
        write = switch (op) {
            case "read" -> false;
            case "write" -> true;
            default -> throw new IllegalArgumentException("op read or write, not " + op);
        };
        started = Leftovers.adopt(new ArrayDeque<>());
        try {
            Path stateDirectory = Files.createTempDirectory("bench-iopath-host");
            started.push(() -> deleteTree(stateDirectory));
            String tlsKey = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom()).format();
            ExternalTarget target;
            if (transport.equals("tcp_tls")) {
                Path keyring = stateDirectory.resolve("tls-keys");
                Files.write(keyring, List.of(TLS_HOST_NQN + " " + NQN + " " + tlsKey));
                Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-------"));
                target = ExternalTarget.startTls(NQN, NAMESPACE_BYTES, BLOCK, keyring);
            } else {
                target = ExternalTarget.start(NQN, NAMESPACE_BYTES, BLOCK);
            }
            started.push(target);
            EmbeddedNvmeHost host;
            switch (transport) {
                case "tcp", "tcp_tls" -> {
                    TcpTransportRuntime tcp = new TcpTransportRuntime(1);
                    started.push(tcp);
                    host = EmbeddedNvmeHost.start(stateDirectory, tcp);
                }
                case "tcp_offload" -> {
                    NicFunction nic = NicFunction.start(ACME_NIC, 1);
                    started.push(nic);
                    nic.netDevice().addAddress("p1p1", NIC_PORT_ADDRESS);
                    OffloadStack offload = new OffloadStack();
                    started.push(offload);
                    offload.addDriver(new NicOffloadDriver(ACME, nic));
                    host = EmbeddedNvmeHost.start(stateDirectory, offload.transport());
                }
                default -> throw new IllegalArgumentException("transport tcp or tcp_offload, not " + transport);
            }
            started.push(host);
            boolean tls = transport.equals("tcp_tls");
            NvmeController controller = host.connect(ConnectOptions.parse("transport=" + (tls ? "tcp" : transport)
                    + ",traddr=" + target.address().getAddress().getHostAddress() + ",trsvcid="
                    + target.address().getPort() + ",nqn=" + NQN + ",nr_io_queues=1"
                    + (tls ? ",hostnqn=" + TLS_HOST_NQN + ",tls_key=" + tlsKey : "")));
            device = controller.namespaces().get(0).device();
        } catch (Exception | Error e) {
            Leftovers.closeAll();
            throw e;
        }
        slots = new Slot[depth];
        for (int i = 0; i < depth; i++) {
            slots[i] = new Slot(i);
        }
        waiter = Thread.currentThread();
    }

    /** One I/O: the next request in turn waits for its previous submission, then is submitted again. */
    @Benchmark
    public int io() {
        Slot slot = slots[(int) (sequence++ % depth)];
        await(slot);
        int status = slot.request.status();
        long lba = (next++ & spanMask) * (IO_SIZE / BLOCK);
        ByteBuffer b = slot.buffer.clear();
        if (write) {
            slot.request.write(lba, b, false);
        } else {
            slot.request.read(lba, b);
        }
        slot.done = false;
        device.submit(slot.request);
        return status;
    }

    /** Waits (bounded) for the slot's submission to complete; throws if it failed. */
    private void await(Slot slot) {
        if (!slot.done) {
            waiter = Thread.currentThread();
            for (int i = 0; i < SPINS && !slot.done; i++) {
                Thread.onSpinWait();
            }
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!slot.done) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(transport + " " + op + " did not complete in 10 s");
                }
                LockSupport.parkNanos(1_000_000); // woken by the completion callback's unpark
            }
        }
        if (!slot.request.succeeded() && slot.request.operation() != null) {
            throw new IllegalStateException(transport + " " + op + " failed", slot.request.failure());
        }
    }

    /**
     * Waits for the requests in flight, nothing more: JMH runs the trial's tear-down inside the last measurement
     * iteration, before the GC profiler takes its figure, so disconnecting and stopping here would be counted as if
     * the I/O path allocated it. The stack is closed instead when the next trial of this JVM starts (trials run
     * in-process, {@code -f 0}) or at JVM exit (a shutdown hook; JMH ends its forks with {@code System.exit}).
     */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (slots != null) {
            for (Slot s : slots) {
                await(s);
            }
        }
    }

    /**
     * The stacks of trials, closed at the next trial's set-up or at JVM exit, host first, then the transport, then
     * the target process. Owning them from the start (not only from the tear-down) leaves one shutdown hook to close
     * everything in order whatever way the JVM ends.
     */
    static final class Leftovers {
        private static final Deque<Deque<AutoCloseable>> TRIALS = new ArrayDeque<>();
        private static Thread hook;

        private Leftovers() {
        }

        static synchronized Deque<AutoCloseable> adopt(Deque<AutoCloseable> resources) {
            TRIALS.addLast(resources);
            if (hook == null) {
                hook = new Thread(Leftovers::closeAll, "bench-iopath-close");
                Runtime.getRuntime().addShutdownHook(hook);
            }
            return resources;
        }

        static synchronized void closeAll() {
            for (Deque<AutoCloseable> trial; (trial = TRIALS.pollFirst()) != null; ) {
                for (AutoCloseable c; (c = trial.pollFirst()) != null; ) {
                    try {
                        c.close();
                    } catch (Exception | Error e) {
                        System.err.println("bench-iopath: closing: " + e);
                    }
                }
            }
        }
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
