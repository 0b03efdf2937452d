package dev.nvmeof.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.nvmeof.console.internal.ConsoleOptions.Mode;
import dev.nvmeof.console.internal.ConsoleOptions.UsageException;

class ConsoleOptionsTest {
    @Test
    void shouldShowWarningsOnlyAndRunStdinAsAScriptWhenNothingIsAskedAndStdinIsNoTerminal() throws Exception {
        ConsoleOptions options = ConsoleOptions.parse(List.of(), null, false, Map.of());
        assertEquals(new ConsoleOptions(Mode.SCRIPT, "WARN", false), options);
    }

    @Test
    void shouldStartTheShellWhenStdinIsATerminal() throws Exception {
        assertEquals(Mode.INTERACTIVE, ConsoleOptions.parse(List.of(), "auto", true, Map.of()).mode());
        assertEquals(Mode.SCRIPT, ConsoleOptions.parse(List.of(), "script", true, Map.of()).mode());
        assertEquals(Mode.INTERACTIVE, ConsoleOptions.parse(List.of(), "interactive", false, Map.of()).mode());
        assertEquals(Mode.OFF, ConsoleOptions.parse(List.of(), "off", true, Map.of()).mode());
    }

    @Test
    void shouldLeaveTheJobItsArgumentsAndOpenTheShellOnlyOnATerminalAfterTheJob() throws Exception {
        ConsoleOptions afterJob = ConsoleOptions.parse(List.of("-s", "4420", "-v", "--bogus"), "after-job", true,
                Map.of());
        assertEquals(new ConsoleOptions(Mode.INTERACTIVE, "INFO", true), afterJob);
        assertEquals(Mode.OFF, ConsoleOptions.parse(List.of("-t", "tcp"), "after-job", false, Map.of()).mode());
    }

    @Test
    void shouldLowerTheConsoleLevelToInfoWithVAndDebugWithVv() throws Exception {
        ConsoleOptions v = ConsoleOptions.parse(List.of("-v"), null, false, Map.of());
        assertEquals("INFO", v.consoleLevel());
        assertTrue(v.levelFromArguments());
        assertEquals("DEBUG", ConsoleOptions.parse(List.of("-vv"), null, false,
                Map.of(ConsoleOptions.LEVEL_ENV, "ERROR")).consoleLevel());
    }

    @Test
    void shouldTakeTheLevelFromThePropertyBeforeTheEnvironment() throws Exception {
        ConsoleOptions options = ConsoleOptions.parse(List.of(), null, false,
                Map.of(ConsoleOptions.LEVEL_ENV, "debug", ConsoleOptions.LEVEL_PROPERTY, "info"));
        assertEquals("INFO", options.consoleLevel());
        assertFalse(options.levelFromArguments());
        assertEquals("DEBUG", ConsoleOptions.parse(List.of(), null, false,
                Map.of(ConsoleOptions.LEVEL_ENV, "debug")).consoleLevel());
    }

    @Test
    void shouldNameABadArgumentLevelOrMode() {
        assertEquals("unknown argument '-x' (the appliance takes -v or -vv; commands go on stdin)",
                assertThrows(UsageException.class, () -> ConsoleOptions.parse(List.of("-x"), null, false, Map.of()))
                        .getMessage());
        assertEquals("nvmeof.console.level: must be one of [ERROR, WARN, INFO, DEBUG, TRACE], was 'LOUD'",
                assertThrows(UsageException.class, () -> ConsoleOptions.parse(List.of(), null, false,
                        Map.of(ConsoleOptions.LEVEL_ENV, "loud"))).getMessage());
        assertEquals("nvmeof.console: must be auto, interactive, script, off or after-job, was 'tty'",
                assertThrows(UsageException.class, () -> ConsoleOptions.parse(List.of(), "tty", false, Map.of()))
                        .getMessage());
    }
}
