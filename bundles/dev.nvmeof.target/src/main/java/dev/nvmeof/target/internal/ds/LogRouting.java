package dev.nvmeof.target.internal.ds;

import dev.nvmeof.protocol.log.Log;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * While the target bundle is active, every record of the project's loggers ({@link Log}: the target and
 * whatever else shares the framework) goes to the OSGi Log Service under its logger's name. The host bundle has the
 * same component, so either can be deployed alone.
 */
@Component(immediate = true)
public final class LogRouting implements Log.Backend {
    private final LoggerFactory loggers;
    private final AutoCloseable route;

    @Activate
    public LogRouting(@Reference LoggerFactory loggers) {
        this.loggers = loggers;
        this.route = Log.route(this);
    }

    @Deactivate
    void deactivate() throws Exception {
        route.close();
    }

    @Override
    public boolean isLoggable(String logger, System.Logger.Level level) {
        Logger l = loggers.getLogger(logger);
        switch (level) {
            case ALL:
            case TRACE:
                return l.isTraceEnabled();
            case DEBUG:
                return l.isDebugEnabled();
            case INFO:
                return l.isInfoEnabled();
            case WARNING:
                return l.isWarnEnabled();
            case ERROR:
                return l.isErrorEnabled();
            default:
                return false;
        }
    }

    @Override
    public void log(String logger, System.Logger.Level level, String message, Throwable thrown) {
        Logger l = loggers.getLogger(logger);
        // "{}" keeps braces in the message literal; a Throwable as the last argument is the record's exception.
        Object[] arguments = thrown == null ? new Object[] {message} : new Object[] {message, thrown};
        switch (level) {
            case ALL:
            case TRACE:
                l.trace("{}", arguments);
                break;
            case DEBUG:
                l.debug("{}", arguments);
                break;
            case INFO:
                l.info("{}", arguments);
                break;
            case WARNING:
                l.warn("{}", arguments);
                break;
            case ERROR:
                l.error("{}", arguments);
                break;
            default:
                break;
        }
    }
}
