package dev.nvmeof.appliance.target;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The target appliance's logging. Its code logs through {@code dev.nvmeof.protocol.log.Log}, which in plain Java
 * writes to {@code System.Logger}, that is java.util.logging. This replaces JUL's configuration (and its two-line
 * console records): every record at INFO and up goes to {@value #FILE} under the working directory, one line each
 * ({@link OneLineFormatter}); stderr shows only WARN and ERROR, {@code -v} INFO too, {@code -vv} DEBUG too (in the
 * file as well).
 */
final class TargetLogging {
    static final String FILE = "log/target.log";

    private TargetLogging() {
    }

    /** @param verbosity 0, 1 ({@code -v}) or 2 ({@code -vv}) */
    static void configure(Path folder, int verbosity) throws IOException {
        Path file = folder.resolve(FILE);
        Files.createDirectories(file.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(file.toFile(), true), false, StandardCharsets.UTF_8);
        Level fileLevel = verbosity >= 2 ? Level.FINE : Level.INFO;
        Level consoleLevel = verbosity >= 2 ? Level.FINE : verbosity == 1 ? Level.INFO : Level.WARNING;
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(fileLevel);
        root.addHandler(new LineHandler(log, new OneLineFormatter(true), fileLevel));
        root.addHandler(new LineHandler(new PrintStream(new FileOutputStream(FileDescriptor.err), false),
                new OneLineFormatter(false), consoleLevel));
    }

    /**
     * Writes each record and flushes. Closing (JUL's own shutdown hook resets every handler) only flushes: stderr
     * must stay open for the shutdown hook's lines, and the OS closes the file at exit.
     */
    private static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out, OneLineFormatter formatter, Level level) {
            this.out = out;
            setFormatter(formatter);
            setLevel(level);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                out.print(getFormatter().format(record));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
