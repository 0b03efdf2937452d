package dev.nvmeof.appliance.target;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per java.util.logging record, with the level names of the OSGi appliances' logs: in the log file
 * {@code yyyy-MM-dd HH:mm:ss.SSS LEVEL logger: message | exception | at ...} (the trace joined on the same line), on
 * the console {@code LEVEL logger: message (Exception: its message)}. A message's own line breaks become {@code " | "}.
 */
final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final String JOIN = " | ";

    private final boolean file;

    /** @param file the log file's form (time stamp, padded level, the whole trace), else the console's */
    OneLineFormatter(boolean file) {
        this.file = file;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        String level = level(record.getLevel());
        if (file) {
            line.append(TIME.format(record.getInstant())).append(' ').append(String.format("%-5s", level));
        } else {
            line.append(level);
        }
        line.append(' ').append(record.getLoggerName()).append(": ").append(oneLine(formatMessage(record)));
        Throwable thrown = record.getThrown();
        if (thrown != null && file) {
            line.append(JOIN).append(oneLine(thrown.toString()));
            for (StackTraceElement frame : thrown.getStackTrace()) {
                line.append(JOIN).append("at ").append(frame);
            }
        } else if (thrown != null) {
            line.append(" (").append(thrown.getClass().getSimpleName()).append(": ")
                    .append(oneLine(String.valueOf(thrown.getMessage()))).append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** System.Logger's names for JUL's levels (System.Logger's DEBUG is JUL's FINE, TRACE is FINER). */
    static String level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.CONFIG.intValue()) {
            return "INFO";
        }
        return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replace("\r\n", JOIN).replace('\r', ' ').replace("\n", JOIN);
    }
}
