package dev.nvmeof.console.internal.ds;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

import dev.nvmeof.console.internal.ConsoleOptions;
import dev.nvmeof.console.internal.ScriptRunner;

/** Where the appliance's start is, as the console needs to know it: the start level and the command line. */
final class AppliancePhase {
    /** The bnd launcher registers a service with the command line under this property... */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    /** ...and sets this one to "true" once it has installed and started every bundle of the run. */
    static final String LAUNCHER_READY = "launcher.ready";

    /**
     * In mode {@value ConsoleOptions#AFTER_JOB}, the appliance's job registers a service with this property (its exit
     * status, an Integer) when it is done...
     */
    static final String JOB_STATUS = "nvmeof.job.status";
    /** ...and optionally this one: a line to show when the shell opens after it (what to try there). */
    static final String JOB_HINT = "nvmeof.job.hint";

    /** What the job said when it was done. */
    record JobDone(int status, String hint) {
    }

    private AppliancePhase() {
    }

    /** Waits for the job's end, without a bound: the console's thread is interrupted when the framework stops. */
    static JobDone awaitJob(BundleContext context) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(" + JOB_STATUS + "=*)"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        try {
            tracker.waitForService(0);
            ServiceReference<Object> done = tracker.getServiceReference();
            Object status = done == null ? null : done.getProperty(JOB_STATUS);
            Object hint = done == null ? null : done.getProperty(JOB_HINT);
            return new JobDone(status instanceof Integer i ? i : ScriptRunner.FAILED,
                    hint instanceof String h ? h : null);
        } finally {
            tracker.close();
        }
    }

    /** Waits until the framework has reached its beginning start level (every bundle of the appliance started). */
    static void awaitStartLevel(BundleContext context, Duration timeout) throws InterruptedException {
        FrameworkStartLevel startLevel = context.getBundle(Constants.SYSTEM_BUNDLE_ID)
                .adapt(FrameworkStartLevel.class);
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = beginning == null ? 1 : Integer.parseInt(beginning.strip());
        CountDownLatch reached = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED && startLevel.getStartLevel() >= target) {
                reached.countDown();
            }
        };
        context.addFrameworkListener(listener);
        try {
            if (startLevel.getStartLevel() < target && !reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the framework did not reach start level " + target + " within "
                        + timeout.toSeconds() + " s");
            }
        } finally {
            context.removeFrameworkListener(listener);
        }
    }

    /**
     * The appliance's command line, from the launcher's service once the launcher has started every bundle (before
     * that, a script's commands would run in a half-started appliance); none when there is no such launcher.
     */
    static List<String> launcherArguments(BundleContext context, Duration timeout) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(&(" + LAUNCHER_ARGUMENTS + "=*)(" + LAUNCHER_READY
                    + "=true))"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        try {
            if (tracker.waitForService(timeout.toMillis()) == null) {
                return List.of();
            }
            ServiceReference<Object> reference = tracker.getServiceReference();
            Object args = reference == null ? null : reference.getProperty(LAUNCHER_ARGUMENTS);
            return args instanceof String[] array ? List.of(array) : List.of();
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until the service registry has settled: no service registered, modified or unregistered for
     * {@code quiet}, at most {@code limit}. After the bundles have started, the configuration in etc/ still activates
     * components (NIC functions, then their drivers' devices); a script whose first line is {@code ofld claims} must
     * see them.
     */
    static void awaitSettled(BundleContext context, Duration quiet, Duration limit) throws InterruptedException {
        Object lock = new Object();
        long[] lastChange = {System.nanoTime()};
        ServiceListener changed = event -> {
            synchronized (lock) {
                lastChange[0] = System.nanoTime();
                lock.notifyAll();
            }
        };
        context.addServiceListener(changed);
        try {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (lock) {
                while (true) {
                    long now = System.nanoTime();
                    long quietUntil = lastChange[0] + quiet.toNanos();
                    if (now >= quietUntil || now >= deadline) {
                        return;
                    }
                    long waitNanos = Math.min(quietUntil, deadline) - now;
                    lock.wait(Math.max(1, waitNanos / 1_000_000));
                }
            }
        } finally {
            context.removeServiceListener(changed);
        }
    }

    /** The console level's property and environment variable, system property first. */
    static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        String env = System.getenv(ConsoleOptions.LEVEL_ENV);
        if (env != null) {
            environment.put(ConsoleOptions.LEVEL_ENV, env);
        }
        String property = System.getProperty(ConsoleOptions.LEVEL_PROPERTY);
        if (property != null) {
            environment.put(ConsoleOptions.LEVEL_PROPERTY, property);
        }
        return environment;
    }
}
