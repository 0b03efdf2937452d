package dev.nvmeof.console.internal;

import java.util.List;
import java.util.Map;

/**
 * What the appliance's command line and environment ask of the console.
 *
 * @param mode         whether to run Gogo's interactive shell, stdin as a script, or nothing
 * @param consoleLevel the lowest log level shown on the console ({@code WARN} unless raised)
 * @param levelFromArguments whether {@code -v}/{@code -vv} chose it (the log configuration, read before the
 *        console starts, knows only the property and the environment variable)
 */
public record ConsoleOptions(Mode mode, String consoleLevel, boolean levelFromArguments) {
    /**
     * The framework property choosing the mode: {@code auto} (default), {@code interactive}, {@code script},
     * {@code off}, or {@value #AFTER_JOB}.
     */
    public static final String MODE_PROPERTY = "nvmeof.console";
    /**
     * The mode of an appliance with a job of its own (the demo): the job owns the command line but
     * {@code -v}/{@code -vv} and says when it is done; then Gogo's shell when stdin is a terminal, else nothing (the
     * process ends with the job's status).
     */
    public static final String AFTER_JOB = "after-job";
    /** The system property (set by us for the log configuration, or by the user) naming the console's log level. */
    public static final String LEVEL_PROPERTY = "nvmeof.console.level";
    /** The same as an environment variable. */
    public static final String LEVEL_ENV = "NVMEOF_CONSOLE_LEVEL";
    public static final String DEFAULT_LEVEL = "WARN";
    static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    public enum Mode {
        /** Gogo's shell on the terminal. */
        INTERACTIVE,
        /** stdin's lines as commands, then exit. */
        SCRIPT,
        /** No console: the appliance runs until stopped (a service). */
        OFF
    }

    /** A bad argument or property; the message names it. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args        the appliance's command line: {@code -v} (INFO on the console) or {@code -vv} (DEBUG); in
     *                    mode {@value #AFTER_JOB} other arguments are the job's and skipped here
     * @param mode        the {@link #MODE_PROPERTY} value, or null
     * @param terminal    whether stdin is a terminal
     * @param environment where {@link #LEVEL_PROPERTY} / {@link #LEVEL_ENV} are looked up (system properties first)
     */
    public static ConsoleOptions parse(List<String> args, String mode, boolean terminal,
            Map<String, String> environment) throws UsageException {
        String level = null;
        for (String arg : args) {
            switch (arg) {
                case "-v" -> level = "INFO";
                case "-vv" -> level = "DEBUG";
                default -> {
                    if (!AFTER_JOB.equals(mode)) {
                        throw new UsageException("unknown argument '" + arg + "' (the appliance takes -v or -vv;"
                                + " commands go on stdin)");
                    }
                }
            }
        }
        boolean fromArguments = level != null;
        if (level == null) {
            level = environment.getOrDefault(LEVEL_PROPERTY, environment.get(LEVEL_ENV));
        }
        level = level == null || level.isBlank() ? DEFAULT_LEVEL : level.strip().toUpperCase();
        if (!LEVELS.contains(level)) {
            throw new UsageException(LEVEL_PROPERTY + ": must be one of " + LEVELS + ", was '" + level + "'");
        }
        return new ConsoleOptions(mode(mode, terminal), level, fromArguments);
    }

    private static Mode mode(String value, boolean terminal) throws UsageException {
        String m = value == null || value.isBlank() ? "auto" : value.strip();
        return switch (m) {
            case "auto" -> terminal ? Mode.INTERACTIVE : Mode.SCRIPT;
            case "interactive" -> Mode.INTERACTIVE;
            case "script" -> Mode.SCRIPT;
            case "off" -> Mode.OFF;
            case AFTER_JOB -> terminal ? Mode.INTERACTIVE : Mode.OFF;
            default -> throw new UsageException(MODE_PROPERTY + ": must be auto, interactive, script, off or "
                    + AFTER_JOB + ", was '" + m + "'");
        };
    }
}
