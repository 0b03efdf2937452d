package dev.nvmeof.target.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Host NQNs from the wire reach the log without control characters and bounded in length. */
class LogTextTest {

    @Test
    void shouldReplaceControlCharactersAndBoundTheLength() {
        assertEquals("nqn.host?[31mred??", LogText.printable("nqn.host\u001b[31mred\r\n"));
        assertEquals("a?b", LogText.printable("a\u202Eb"), "a bidi override is a format character");
        String long1 = LogText.printable("x".repeat(5000));
        assertEquals(LogText.MAX_LENGTH + 3, long1.length());
        assertTrue(long1.endsWith("..."));
        assertEquals("(none)", LogText.printable(null));
    }
}
