package dev.nvmeof.host.internal;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;

/**
 * The host's threads, made with nothing of the thread that happens to start them. Pools start threads lazily, on
 * whatever thread hands them work: a driver bundle's thread that is stopping it, say, whose frames are on the stack
 * when the core hears the path went away. A thread inherits its creator's access control context (every protection
 * domain on that stack, and so their class loaders) and context class loader, and would keep a departed bundle's
 * class loader reachable for as long as it lives. Made inside {@code doPrivileged}, it inherits only this class's.
 */
public final class HostThreads {
    private HostThreads() {
    }

    /** A factory of daemon threads named {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** A daemon thread named {@code name}, not started. */
    @SuppressWarnings("removal") // the inherited context exists until Java removes it; so must the guard
    public static Thread daemon(Runnable runnable, String name) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setContextClassLoader(HostThreads.class.getClassLoader());
            return thread;
        });
    }
}
