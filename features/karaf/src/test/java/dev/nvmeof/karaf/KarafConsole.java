package dev.nvmeof.karaf;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Karaf's console as a user has it: each command runs in a console session of Karaf's own {@link SessionFactory}, as
 * a user with Karaf's admin roles (Karaf guards commands by role), with a bounded wait.
 */
final class KarafConsole {
    /** What a command printed and returned, or the exception it ended with. */
    record Result(String command, String output, Object value, Exception failure) {
        /** Printed text and the returned value's text together: Gogo functions may do either. */
        String text() {
            return output + (value == null ? "" : String.valueOf(value));
        }

        Result assertSucceeded() {
            if (failure != null) {
                // The message only: the test's JVM may not know the exception's class (Karaf's resolver's, say).
                throw new AssertionError("`" + command + "` failed: " + failure + "\n" + output);
            }
            return this;
        }
    }

    private final SessionFactory sessions;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "karaf-console");
        thread.setDaemon(true);
        return thread;
    });

    KarafConsole(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /**
     * The console once Karaf's shell offers its {@link SessionFactory} service, waiting at most {@code seconds}. The
     * test class looks it up through here rather than by a field of that type: the probe imports dynamically, and a
     * test class naming Karaf's shell API could not load while the shell's bundle is still starting.
     */
    static KarafConsole await(BundleContext context, long seconds) throws InterruptedException {
        ServiceTracker<SessionFactory, SessionFactory> tracker = new ServiceTracker<>(context, SessionFactory.class,
                null);
        tracker.open(); // held for the life of the Karaf, like the session factory it tracks
        SessionFactory sessions = tracker.waitForService(TimeUnit.SECONDS.toMillis(seconds));
        assertNotNull("no Karaf shell SessionFactory within " + seconds + " s", sessions);
        return new KarafConsole(sessions);
    }

    /** Runs one command line in a fresh session; fails the test when it does not end within {@code seconds}. */
    Result run(String command, long seconds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("karaf"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles"}) {
            admin.getPrincipals().add(new RolePrincipal(role));
        }
        Future<Result> running = executor.submit(() -> {
            Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Object value = Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
                return new Result(command, text(bytes), value, null);
            } catch (Exception e) {
                Exception cause = e instanceof java.security.PrivilegedActionException p ? p.getException() : e;
                return new Result(command, text(bytes), null, cause);
            } finally {
                session.close();
            }
        });
        try {
            return running.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            fail("`" + command + "` did not end within " + seconds + " s; it printed: " + text(bytes));
        } catch (ExecutionException e) {
            throw new AssertionError("`" + command + "` could not run", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while `" + command + "` ran");
        }
        throw new AssertionError("unreachable");
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
