package dev.nvmeof.console.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs the lines of a script (an appliance's stdin when it is not a terminal) through one Gogo session, one after
 * another, like {@code sh -e}: blank lines and {@code #} comments are skipped; a line whose command is not registered
 * yet waits for it up to {@code commandWait}; the first line that fails ends the run with one line
 * {@code error: <line>: <why>} on {@code err} and status {@link #FAILED}. At the end of input the status is
 * {@link #OK}. What a command returns is printed like Gogo's shell prints it.
 */
public final class ScriptRunner {
    public static final int OK = 0;
    public static final int FAILED = 1;
    /** A command name as a line's first word ({@code lb}, {@code scr:list}), not an assignment ({@code x = 1}). */
    private static final Pattern COMMAND = Pattern.compile("([A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?)(\\s*=)?.*");

    private final CommandSession session;
    private final CommandCatalog commands;
    private final Duration commandWait;
    private final PrintStream out;
    private final PrintStream err;

    public ScriptRunner(CommandSession session, CommandCatalog commands, Duration commandWait, PrintStream out,
            PrintStream err) {
        this.session = session;
        this.commands = commands;
        this.commandWait = commandWait;
        this.out = out;
        this.err = err;
    }

    /** Runs every line of {@code script}; {@link #OK} or {@link #FAILED} (after the {@code error:} line). */
    public int run(BufferedReader script) throws IOException, InterruptedException {
        for (String line = script.readLine(); line != null; line = script.readLine()) {
            String command = line.strip();
            if (command.isEmpty() || command.startsWith("#")) {
                continue;
            }
            String name = commandName(command);
            if (name != null && !commands.await(name, commandWait)) {
                return fail(command, "no command '" + name + "' (none registered within "
                        + CommandCatalog.describe(commandWait) + ")");
            }
            try {
                Object result = session.execute(command);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                return fail(command, withoutCommandPrefix(command, message(e)));
            }
            out.flush();
        }
        out.flush();
        return OK;
    }

    /**
     * The interactive shell on a terminal: a prompt, each line run through the same session, a failing line
     * reported in one line and the next one read; {@code exit} or the end of input ends it with {@link #OK}.
     */
    public int interactive(BufferedReader terminal, String prompt) throws IOException, InterruptedException {
        while (true) {
            out.print(prompt);
            out.flush();
            String line = terminal.readLine();
            if (line == null || line.strip().equals("exit")) {
                return OK;
            }
            String command = line.strip();
            if (command.isEmpty() || command.startsWith("#")) {
                continue;
            }
            try {
                Object result = session.execute(command);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                out.flush();
                err.println("error: " + message(e));
                err.flush();
            }
        }
    }

    /** The command a line starts with, or null when it starts with something else (a variable, a closure, ...). */
    static String commandName(String line) {
        Matcher m = COMMAND.matcher(line);
        return m.matches() && m.group(2) == null ? m.group(1) : null;
    }

    /**
     * A command's message usually starts by naming it ({@code nvme connect: '--nqn' (-n) is required}); after the
     * whole line has been named, that prefix is dropped rather than said twice.
     */
    static String withoutCommandPrefix(String line, String message) {
        int colon = message.indexOf(": ");
        if (colon > 0 && line.startsWith(message.substring(0, colon))) {
            return message.substring(colon + 2);
        }
        return message;
    }

    private int fail(String line, String why) {
        out.flush();
        err.println("error: " + line + ": " + why);
        err.flush();
        return FAILED;
    }

    /** One line: the exception's message (its first line), or its type when it has none. */
    public static String message(Throwable thrown) {
        Throwable e = thrown;
        // Gogo hands a command's own exception over wrapped when it called the method reflectively.
        while (e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
