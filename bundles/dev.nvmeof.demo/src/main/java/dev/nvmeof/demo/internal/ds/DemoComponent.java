package dev.nvmeof.demo.internal.ds;

import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.demo.internal.DemoJob;
import dev.nvmeof.demo.internal.DemoOptions;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.target.NvmeTarget;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The demo appliance's main job. It exists only under the bnd launcher, which publishes the command line as the
 * {@code launcher.arguments} property of a service. It configures the embedded target (unless {@code -a} points
 * elsewhere) and two emulated NICs of different vendors, waits for the stack and runs {@link DemoJob} on its own
 * thread. Then, when the framework property {@value #CONSOLE_PROPERTY} is {@value #AFTER_JOB} (demo.bndrun), it hands
 * over to the console: a service with the job's status ({@value #JOB_STATUS}) and what to try in the shell
 * ({@value #JOB_HINT}); the console opens the shell on a terminal, else ends the process with that status. Without
 * it, the component exits the process with the job's status itself.
 */
@Component(immediate = true)
public final class DemoComponent {
    static final long STACK_TIMEOUT_MILLIS = 20_000;
    /** The framework property of the appliance's console and its value for "after the demo's job". */
    static final String CONSOLE_PROPERTY = "nvmeof.console";
    static final String AFTER_JOB = "after-job";
    /** The handover service's properties, as the console reads them. */
    static final String JOB_STATUS = "nvmeof.job.status";
    static final String JOB_HINT = "nvmeof.job.hint";
    /** The demo's two NIC functions, one per vendor driver, on the subnet of the embedded target. */
    static final List<DemoNic> NICS = List.of(
            new DemoNic(0x1AC3, 0x0100, "A0001", 1, 25_000, 8, 128 << 10, false, "p1p1 127.0.0.2/24"),
            new DemoNic(0x1F7A, 0x0200, "V0001", 2, 100_000, 4, 1 << 20, true, "p2p1 127.0.0.3/24"));
    /**
     * The process's own stdout: with Gogo in the framework, System.out is its ThreadIO stream (which writes to
     * whichever session runs on the thread).
     */
    private static final PrintStream STDOUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);

    /** One NIC function of the demo, as its factory configuration says it. */
    record DemoNic(int vendorId, int deviceId, String serial, int slot, long linkSpeedMbps, int hardwareVectors,
            int maxIoSize, boolean polling, String address) {
    }

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final Logger log;

    @Activate
    public DemoComponent(BundleContext context,
            @Reference(service = Object.class, target = "(launcher.arguments=*)") Map<String, Object> launcher,
            @Reference ConfigurationAdmin configurationAdmin, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.log = log;
        String[] args = (String[]) launcher.get("launcher.arguments");
        Thread job = new Thread(() -> run(args == null ? new String[0] : args), "nvmeof-demo");
        job.start();
    }

    private void run(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException bad) {
            STDOUT.println("error: " + bad.getMessage());
            finish(DemoJob.BAD_ARGUMENTS, null);
            return;
        }
        finish(runJob(options), options);
    }

    private int runJob(DemoOptions options) {
        try {
            if (options.embeddedTarget()) {
                ensureFree(options.trsvcid());
                configureTarget(configurationAdmin, options);
            }
            configureNics(configurationAdmin);
            if (options.embeddedTarget()) {
                NvmeTarget target = await(context, NvmeTarget.class, null, 1);
                if (target.listeners().stream().noneMatch(a -> a.getPort() == options.trsvcid())) {
                    throw new IOException("the embedded target does not listen on 127.0.0.1:" + options.trsvcid()
                            + " (it listens on " + target.listeners() + ")");
                }
            }
            // The host, once it has bound the transport asked for (seeing the Transport service is not enough).
            // The host once it has bound the transports the job uses (the perf comparison uses both).
            String transports = "(" + NvmeHost.TRANSPORTS_PROPERTY + "=" + options.transport() + ")";
            if (options.perfSeconds() > 0) {
                transports = "(&(" + NvmeHost.TRANSPORTS_PROPERTY + "=tcp)(" + NvmeHost.TRANSPORTS_PROPERTY
                        + "=tcp_offload))";
            }
            NvmeHost host = await(context, NvmeHost.class, transports, 1);
            if (options.transport().equals("tcp_offload") || options.perfSeconds() > 0) {
                await(context, OffloadDriver.class, null, NICS.size());
            }
            return new DemoJob(host, STDOUT).run(options);
        } catch (IOException | IllegalStateException e) {
            STDOUT.println("error: " + e.getMessage());
            return DemoJob.FAILED;
        } catch (RuntimeException bug) {
            STDOUT.println("error: the demo failed unexpectedly: " + bug);
            log.error("the demo failed unexpectedly", bug);
            return DemoJob.FAILED;
        }
    }

    /** Hands over to the console (see the class comment), or exits the process with the job's status. */
    private void finish(int status, DemoOptions options) {
        if (!AFTER_JOB.equals(context.getProperty(CONSOLE_PROPERTY))) {
            exit(status);
            return;
        }
        log.info("the demo job ended with status {}; handing over to the console", status);
        Dictionary<String, Object> done = new Hashtable<>();
        done.put(JOB_STATUS, status);
        if (options != null) {
            done.put(JOB_HINT, shellHint(options));
        }
        context.registerService(Object.class, new Object(), done);
    }

    /** What the shell opened after the job can do with what the demo set up. */
    static String shellHint(DemoOptions o) {
        String target = "-a " + (o.traddr() == null ? "127.0.0.1" : o.traddr()) + " -s " + o.trsvcid();
        String nics = String.join(", ", NICS.stream().map(DemoNic::address).toList());
        return String.join(System.lineSeparator(),
                "", "The demo's stack stays up (" + (o.embeddedTarget() ? "its target serves " + o.nqn() + "; " : "")
                        + "NICs " + nics + "). Try:",
                "  nvme connect -t " + o.transport() + " " + target + " -n " + o.nqn(),
                "  nvme list",
                "  ofld claims " + target,
                "  ip addr show",
                "exit (or Ctrl-D) ends the demo.");
    }

    /**
     * The demo overwrites data on its own target: if something else already listens on the port (another target),
     * it must not connect there believing it is its own.
     */
    private static void ensureFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException inUse) {
            throw new IOException("127.0.0.1:" + port + " is in use (another target?): stop it, pick another port"
                    + " with -s, or point the demo at it with -a 127.0.0.1 -s " + port, inUse);
        }
    }

    /** Namespace and subsystem first, so the target has its namespace by the time it listens. */
    private static void configureTarget(ConfigurationAdmin cm, DemoOptions options) throws IOException {
        update(cm.createFactoryConfiguration("dev.nvmeof.target.namespace", "?"), "subsystem", options.nqn(), "nsid",
                1, "size", "256M");
        update(cm.createFactoryConfiguration("dev.nvmeof.target.subsystem", "?"), "nqn", options.nqn());
        String listen = "127.0.0.1:" + options.trsvcid();
        update(cm.getConfiguration("dev.nvmeof.target", "?"), "listen", options.trsvcid() == 4420
                ? new String[] {listen, "127.0.0.1:8009"} : new String[] {listen});
    }

    private static void configureNics(ConfigurationAdmin cm) throws IOException {
        for (DemoNic nic : NICS) {
            update(cm.createFactoryConfiguration("dev.nvmeof.nic.emulated.function", "?"),
                    "vendor.id", nic.vendorId(), "device.id", nic.deviceId(), "serial", nic.serial(),
                    "slot", nic.slot(), "link.speed.mbps", nic.linkSpeedMbps(),
                    "hardware.vectors", nic.hardwareVectors(), "max.io.size", nic.maxIoSize(), "max.segments", 256,
                    "polling", nic.polling(), "ports", 1, "addresses", new String[] {nic.address()});
        }
    }

    private static void update(Configuration configuration, Object... keyValues) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configuration.update(properties);
    }

    /** Waits until {@code count} services of {@code type} are registered; returns one. */
    private static <T> T await(BundleContext context, Class<T> type, String filter, int count) {
        String spec = "(objectClass=" + type.getName() + ")";
        Filter f;
        try {
            f = FrameworkUtil.createFilter(filter == null ? spec : "(&" + spec + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        CountDownLatch registered = new CountDownLatch(count);
        AtomicReference<T> first = new AtomicReference<>();
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, f, null) {
            @Override
            public T addingService(ServiceReference<T> reference) {
                T service = super.addingService(reference);
                first.compareAndSet(null, service);
                registered.countDown();
                return service;
            }
        };
        tracker.open();
        try {
            if (!registered.await(STACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the stack did not come up: " + tracker.size() + " of " + count
                        + " " + type.getSimpleName() + " service(s) " + (filter == null ? "" : filter + " ")
                        + "within " + STACK_TIMEOUT_MILLIS / 1000 + " s");
            }
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName());
        } finally {
            tracker.close();
        }
    }

    private static void exit(int status) {
        STDOUT.flush();
        System.exit(status);
    }
}
