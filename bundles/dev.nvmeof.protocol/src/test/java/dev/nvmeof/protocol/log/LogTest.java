package dev.nvmeof.protocol.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LogTest {
    private static final System.Logger LOG = Log.get("dev.nvmeof.test.log");

    /** Records what reaches it, at INFO and above. */
    private static final class Recording implements Log.Backend {
        final List<String> records = new ArrayList<>();

        @Override
        public void log(String logger, System.Logger.Level level, String message, Throwable thrown) {
            records.add(logger + " " + level + " " + message + (thrown == null ? "" : " / " + thrown.getMessage()));
        }

        @Override
        public boolean isLoggable(String logger, System.Logger.Level level) {
            return level.getSeverity() >= System.Logger.Level.INFO.getSeverity();
        }
    }

    @Test
    void shouldSendRecordsOfALoggerMadeEarlierToTheBackendRoutedLaterAndStopWhenTheRouteCloses() throws Exception {
        Recording osgi = new Recording();
        try (AutoCloseable route = Log.route(osgi)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: connect failed", "nvme0");
            LOG.log(System.Logger.Level.ERROR, "turn failed", new IllegalStateException("boom"));
            LOG.log(System.Logger.Level.DEBUG, "not wanted {0}", "x");
            assertTrue(!LOG.isLoggable(System.Logger.Level.DEBUG), "the backend decides what is wanted");
        }
        LOG.log(System.Logger.Level.WARNING, "after the route closed");
        assertEquals(List.of("dev.nvmeof.test.log WARNING nvme0: connect failed",
                "dev.nvmeof.test.log ERROR turn failed / boom"), osgi.records);
    }

    @Test
    void shouldWriteToThePlatformLoggerWhenNothingIsRouted() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.nvmeof.test.platform");
        List<String> records = new ArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            System.Logger platform = Log.get("dev.nvmeof.test.platform");
            assertTrue(platform.isLoggable(System.Logger.Level.WARNING));
            platform.log(System.Logger.Level.WARNING, "queue {0} failed", 3);
            assertEquals(List.of("WARNING queue 3 failed"), records);
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void shouldFallBackToTheEarlierRouteWhenTheLatestClosesFirst() throws Exception {
        Recording first = new Recording();
        Recording second = new Recording();
        AutoCloseable one = Log.route(first);
        AutoCloseable two = Log.route(second);
        LOG.log(System.Logger.Level.INFO, "to the second");
        two.close();
        LOG.log(System.Logger.Level.INFO, "to the first");
        one.close();
        assertEquals(List.of("dev.nvmeof.test.log INFO to the second"), second.records);
        assertEquals(List.of("dev.nvmeof.test.log INFO to the first"), first.records);
        assertSame(LOG, Log.get("dev.nvmeof.test.log"), "one logger per name");
    }
}
