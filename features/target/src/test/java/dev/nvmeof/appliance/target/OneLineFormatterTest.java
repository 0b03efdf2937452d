package dev.nvmeof.appliance.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class OneLineFormatterTest {
    @Test
    void shouldWriteARecordWithAMultiLineMessageAndATraceOnOneLineInTheFile() {
        String line = new OneLineFormatter(true).format(record(Level.WARNING, "first\nsecond",
                new IOException("broken\npipe")));
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  dev\\.nvmeof\\.target: first"
                + " \\| second \\| java\\.io\\.IOException: broken \\| pipe \\| at .*\\R"), line);
    }

    @Test
    void shouldNameTheExceptionBrieflyOnTheConsoleWithSystemLoggerLevelNames() {
        assertEquals("ERROR dev.nvmeof.target: it failed (IOException: broken)" + System.lineSeparator(),
                new OneLineFormatter(false).format(record(Level.SEVERE, "it failed", new IOException("broken"))));
        assertEquals("INFO", OneLineFormatter.level(Level.INFO));
        assertEquals("DEBUG", OneLineFormatter.level(Level.FINE));
        assertEquals("TRACE", OneLineFormatter.level(Level.FINER));
    }

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.nvmeof.target");
        record.setInstant(Instant.parse("2026-12-06T00:54:44.123Z"));
        record.setThrown(thrown);
        return record;
    }
}
