package dev.nvmeof.console.internal.ds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.nvmeof.console.internal.ConsoleOptions;

/**
 * {@code -v}/{@code -vv}: the appliances log through Pax Logging (Log4j 2) configured from the file named by
 * {@value #PAX_PROPERTY_FILE}, whose console appender shows records from
 * {@code ${sys:nvmeof.console.level}} up. The command line is known only once the framework runs, so this sets the
 * property and has Pax Logging read the same file again (through its ConfigAdmin PID {@value #PAX_PID}).
 */
final class ConsoleLogLevel {
    static final String PAX_PID = "org.ops4j.pax.logging";
    static final String PAX_PROPERTY_FILE = "org.ops4j.pax.logging.property.file";
    static final String PAX_CONFIG_FILE = "org.ops4j.pax.logging.log4j2.config.file";
    /** The root logger's level (what reaches the log file); {@code -vv} lowers it to DEBUG too. */
    static final String LOG_LEVEL_PROPERTY = "nvmeof.log.level";

    private ConsoleLogLevel() {
    }

    /** Sets the properties the log configuration reads; enough when it has not been read yet. */
    static void setProperties(String level) {
        System.setProperty(ConsoleOptions.LEVEL_PROPERTY, level);
        if (level.equals("DEBUG") || level.equals("TRACE")) {
            System.setProperty(LOG_LEVEL_PROPERTY, level);
        }
    }

    /** Sets the properties and has Pax Logging read its configuration file again. */
    static void raise(String level, BundleContext context) throws IOException {
        setProperties(level);
        String file = context.getProperty(PAX_PROPERTY_FILE);
        ServiceReference<ConfigurationAdmin> cm = context.getServiceReference(ConfigurationAdmin.class);
        if (file == null || !Files.isRegularFile(Path.of(file)) || cm == null) {
            return; // nothing to read again: the backend's defaults stay
        }
        ConfigurationAdmin admin = context.getService(cm);
        try {
            Configuration configuration = admin.getConfiguration(PAX_PID, "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(PAX_CONFIG_FILE, Path.of(file).toAbsolutePath().toString());
            configuration.update(properties);
        } finally {
            context.ungetService(cm);
        }
    }
}
