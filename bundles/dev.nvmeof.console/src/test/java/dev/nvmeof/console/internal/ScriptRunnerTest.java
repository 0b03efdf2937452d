package dev.nvmeof.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The script runner against a real Gogo runtime with a few commands of our own; no OSGi. */
class ScriptRunnerTest {
    static final Duration NO_WAIT = Duration.ZERO;
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    /** Commands for the tests, registered under the scope "test". */
    public static final class TestCommands {
        public String hello(String name) {
            return "hello " + name;
        }

        public void fail() {
            throw new IllegalStateException("it broke\n\tand more lines that are not shown");
        }

        public void silent() {
            throw new UnsupportedOperationException();
        }

        public String late() {
            return "late but here";
        }
    }

    private final CommandProcessorImpl processor = new CommandProcessorImpl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
    private final CountDownLatch waiting = new CountDownLatch(1);
    private final CommandCatalog catalog = new CommandCatalog(session, name -> waiting.countDown());
    private final TestCommands commands = new TestCommands();

    ScriptRunnerTest() {
        for (String function : List.of("hello", "fail", "silent")) {
            processor.addCommand("test", commands, function);
        }
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void shouldRunEveryLineInOrderAndPrintWhatEachReturnsWhenAllSucceed() throws Exception {
        assertEquals(ScriptRunner.OK, run("test:hello world\nhello you\n", NO_WAIT));
        assertEquals(List.of("hello world", "hello you"), lines(out));
        assertEquals("", text(err));
    }

    @Test
    void shouldSkipBlankLinesAndCommentsWithoutWaitingForAnything() throws Exception {
        assertEquals(ScriptRunner.OK, run("# nosuch command here\n\n   \n  # indented nosuch\nhello a", NO_WAIT));
        assertEquals(List.of("hello a"), lines(out));
        assertEquals(1, waiting.getCount(), "nothing was waited for");
    }

    @Test
    void shouldStopAtTheFirstFailingLineAndNameItInOneLine() throws Exception {
        assertEquals(ScriptRunner.FAILED, run("hello a\n  fail  \nhello b\n", NO_WAIT));
        assertEquals(List.of("hello a"), lines(out));
        assertEquals(List.of("error: fail: it broke"), lines(err));
    }

    @Test
    void shouldKeepPromptingAfterAFailingLineWhenInteractiveUntilExit() throws Exception {
        ScriptRunner runner = new ScriptRunner(session, catalog, NO_WAIT, new PrintStream(out, true),
                new PrintStream(err, true));

        String typed = "hello a\nfail\n\nhello b\nexit\nhello c\n";
        int status = runner.interactive(new BufferedReader(new StringReader(typed)), "g! ");

        assertEquals(ScriptRunner.OK, status);
        assertEquals("g! hello a\ng! g! g! hello b\ng! ", text(out));
        assertEquals(List.of("error: it broke"), lines(err));
    }

    @Test
    void shouldNotRepeatTheCommandItsMessageAlreadyNames() {
        assertEquals("'--nqn' (-n) is required", ScriptRunner.withoutCommandPrefix("nvme connect -t tcp",
                "nvme connect: '--nqn' (-n) is required"));
        assertEquals("unknown command 'conect'", ScriptRunner.withoutCommandPrefix("nvme conect",
                "nvme: unknown command 'conect'"));
        assertEquals("ip: no", ScriptRunner.withoutCommandPrefix("nvme list", "ip: no"));
    }

    @Test
    void shouldUnwrapWhatGogoWrappedToNameTheCommandsOwnFailure() {
        assertEquals("it broke", ScriptRunner.message(new java.lang.reflect.InvocationTargetException(
                new IllegalStateException("it broke"))));
    }

    @Test
    void shouldNameTheExceptionTypeWhenTheFailureHasNoMessage() throws Exception {
        assertEquals(ScriptRunner.FAILED, run("silent", NO_WAIT));
        assertEquals(List.of("error: silent: UnsupportedOperationException"), lines(err));
    }

    @Test
    void shouldFailNamingAnUnknownCommandOnceTheBoundedWaitIsOver() throws Exception {
        assertEquals(ScriptRunner.FAILED, run("hello a\nnosuch -n x\nhello b", Duration.ofMillis(50)));
        assertEquals(List.of("hello a"), lines(out));
        assertEquals(List.of("error: nosuch -n x: no command 'nosuch' (none registered within 50 ms)"), lines(err));
        assertEquals(0, waiting.getCount(), "it waited for the command");
    }

    @Test
    void shouldFailNamingTheLineWhenGogoCannotParseIt() throws Exception {
        assertEquals(ScriptRunner.FAILED, run("hello (", NO_WAIT));
        assertTrue(text(err).startsWith("error: hello (: "), text(err));
        assertEquals(1, lines(err).size(), text(err));
    }

    @Test
    void shouldWaitForACommandThatIsRegisteredWhileTheScriptRuns() throws Exception {
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            try {
                return run("hello first\nlate\n", TEST_TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(waiting.await(TEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the runner waits for 'late'");
        processor.addCommand("test", commands, "late");
        catalog.changed();
        assertEquals(ScriptRunner.OK, status.get(TEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of("hello first", "late but here"), lines(out));
    }

    @Test
    void shouldTakeAFirstWordAsTheCommandUnlessItIsAnAssignmentOrNotAName() {
        assertEquals("lb", ScriptRunner.commandName("lb -s"));
        assertEquals("scr:list", ScriptRunner.commandName("scr:list"));
        assertEquals("nvme", ScriptRunner.commandName("nvme connect -t tcp -a 127.0.0.1"));
        assertNull(ScriptRunner.commandName("x = 1"));
        assertNull(ScriptRunner.commandName("x=1"));
        assertNull(ScriptRunner.commandName("$x"));
        assertNull(ScriptRunner.commandName("(hello a)"));
    }

    private int run(String script, Duration wait) throws Exception {
        ScriptRunner runner = new ScriptRunner(session, catalog, wait, print(out), print(err));
        return runner.run(new BufferedReader(new StringReader(script)));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return text(bytes).lines().toList();
    }
}
