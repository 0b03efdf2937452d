package dev.nvmeof.protocol.log;

import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Loggers for the project's code, whatever runs it. {@link #get} hands out a {@link System.Logger} whose records go
 * to the {@link Backend} in force: by default the JDK's {@code Log.get(name)}; in OSGi the host's and the
 * target's components {@link #route} them to the OSGi Log Service while they are active. Loggers are made once (keep
 * them in a static field); a record costs no allocation when its level is off.
 */
public final class Log {
    /** Where records go. Implementations must not throw. */
    @FunctionalInterface
    public interface Backend {
        /** Writes one record; {@code message} is already formatted, {@code thrown} may be null. */
        void log(String logger, System.Logger.Level level, String message, Throwable thrown);

        /** Whether records of {@code level} for {@code logger} are wanted at all (cheap; called before formatting). */
        default boolean isLoggable(String logger, System.Logger.Level level) {
            return level != System.Logger.Level.OFF;
        }
    }

    private static final Backend PLATFORM = new Backend() {
        @Override
        public void log(String logger, System.Logger.Level level, String message, Throwable thrown) {
            System.getLogger(logger).log(level, message, thrown);
        }

        @Override
        public boolean isLoggable(String logger, System.Logger.Level level) {
            return System.getLogger(logger).isLoggable(level);
        }
    };

    /** Backends routed to, latest last; the platform logger when empty. */
    private static final List<Backend> ROUTES = new CopyOnWriteArrayList<>();
    private static final Map<String, System.Logger> LOGGERS = new ConcurrentHashMap<>();
    private static volatile Backend current = PLATFORM;

    private Log() {
    }

    /** The logger named {@code name} (by convention the bundle's or the class's name). */
    public static System.Logger get(String name) {
        return LOGGERS.computeIfAbsent(name, Routed::new);
    }

    /**
     * Sends every record to {@code backend} until the returned handle is closed (then to the backend routed before
     * it, or the platform logger). The latest route wins; routes may be closed in any order.
     */
    public static AutoCloseable route(Backend backend) {
        ROUTES.add(backend);
        current = backend;
        return () -> {
            ROUTES.remove(backend);
            int n = ROUTES.size();
            current = n == 0 ? PLATFORM : ROUTES.get(n - 1);
        };
    }

    /** A logger that forwards to whichever backend is in force when a record is written. */
    private static final class Routed implements System.Logger {
        private final String name;

        Routed(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return current.isLoggable(name, level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            Backend backend = current;
            if (backend.isLoggable(name, level)) {
                backend.log(name, level, message, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            Backend backend = current;
            if (backend.isLoggable(name, level)) {
                String message = params == null || params.length == 0 ? format
                        : new MessageFormat(format).format(params);
                backend.log(name, level, message, null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message, Throwable thrown) {
            Backend backend = current;
            if (backend.isLoggable(name, level)) {
                backend.log(name, level, message.get(), thrown);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            log(level, message, null);
        }
    }
}
