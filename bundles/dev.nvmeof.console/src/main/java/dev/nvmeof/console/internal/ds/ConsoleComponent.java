package dev.nvmeof.console.internal.ds;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.nvmeof.console.internal.CommandCatalog;
import dev.nvmeof.console.internal.ConsoleOptions;
import dev.nvmeof.console.internal.ScriptRunner;

/**
 * The appliance's console, on its own thread once the framework has reached its start level: Gogo's shell when stdin
 * is a terminal, else stdin's lines as a script ({@link ScriptRunner}); then it exits the process with the status
 * (0 after the last line or the shell's end, 1 at a failing line, 2 for a bad argument). In mode
 * {@value ConsoleOptions#AFTER_JOB} it waits for the appliance's job instead and opens the shell after it on a
 * terminal, else ends the process with the job's status ({@link #afterJob()}). Only when the framework
 * property {@value ConsoleOptions#MODE_PROPERTY} is set (the appliances' bndruns set it): in any other framework (a
 * test's, Karaf) the component does nothing.
 */
@Component(immediate = true)
public final class ConsoleComponent {
    /** Framework property: how long a script line waits for its command to be registered, in seconds. */
    static final String COMMAND_WAIT_PROPERTY = "nvmeof.console.command.wait";
    static final Duration DEFAULT_COMMAND_WAIT = Duration.ofSeconds(30);
    /** Components settled: no change for this long after the bundles started (bounded by the limit). */
    static final Duration SETTLE_QUIET = Duration.ofMillis(400);
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(15);
    static final int EXIT_USAGE = 2;
    private static final String COMMANDS = "(" + CommandProcessor.COMMAND_FUNCTION + "=*)";

    private final Logger log;
    private final BundleContext context;
    private final CommandProcessor processor;
    private final Thread thread;
    private volatile CommandCatalog catalog;
    private final ServiceListener commandsChanged = event -> {
        CommandCatalog c = catalog;
        if (c != null) {
            c.changed();
        }
    };

    @Activate
    public ConsoleComponent(BundleContext context, @Reference CommandProcessor processor,
            @Reference(service = LoggerFactory.class) Logger log) throws InvalidSyntaxException {
        this.context = context;
        this.processor = processor;
        this.log = log;
        String mode = context.getProperty(ConsoleOptions.MODE_PROPERTY);
        if (mode == null) {
            log.debug("no console: {} is not set", ConsoleOptions.MODE_PROPERTY);
            thread = null;
            return;
        }
        context.addServiceListener(commandsChanged, COMMANDS);
        thread = new Thread(() -> exit(run(mode)), "nvmeof-console");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        if (thread != null) {
            context.removeServiceListener(commandsChanged);
            thread.interrupt();
        }
    }

    /** The process's exit status, or -1 to keep running (no console). */
    private int run(String mode) {
        return exitStatus(ConsoleOptions.AFTER_JOB.equals(mode.strip()) ? this::afterJob : () -> start(mode));
    }

    /** What the console does for the command line's mode, once the appliance has started. */
    private int start(String mode) throws Exception {
        AppliancePhase.awaitStartLevel(context, Duration.ofSeconds(60));
        List<String> args = AppliancePhase.launcherArguments(context, Duration.ofSeconds(60));
        AppliancePhase.awaitSettled(context, SETTLE_QUIET, SETTLE_LIMIT);
        ConsoleOptions options = ConsoleOptions.parse(args, mode, System.console() != null,
                AppliancePhase.environment());
        log.debug("console {}, console log level {}", options.mode(), options.consoleLevel());
        switch (options.mode()) {
            case INTERACTIVE:
                return interactive();
            case SCRIPT:
                return script();
            default:
                log.info("console off ({}=off): the appliance runs until it is stopped",
                        ConsoleOptions.MODE_PROPERTY);
                return -1;
        }
    }

    /**
     * Mode {@value ConsoleOptions#AFTER_JOB}: once the job is done, Gogo's shell when stdin is a terminal (then the
     * job's status); else, or after a bad argument, the job's status at once.
     */
    private int afterJob() throws Exception {
        AppliancePhase.JobDone job = AppliancePhase.awaitJob(context);
        List<String> args = AppliancePhase.launcherArguments(context, Duration.ofSeconds(60));
        ConsoleOptions options = ConsoleOptions.parse(args, ConsoleOptions.AFTER_JOB, System.console() != null,
                AppliancePhase.environment());
        log.debug("job done with status {}; console {}", job.status(), options.mode());
        if (options.mode() != ConsoleOptions.Mode.INTERACTIVE || job.status() == EXIT_USAGE) {
            return job.status();
        }
        if (job.hint() != null) {
            STDOUT.println(job.hint());
        }
        interactive();
        return job.status();
    }

    /** A step the console takes, whose result is the process's exit status. */
    @FunctionalInterface
    private interface Step {
        int run() throws Exception;
    }

    /** The step's status; a bad argument, an interrupt (the framework stopping) or a failure each said in one line. */
    private int exitStatus(Step step) {
        try {
            return step.run();
        } catch (ConsoleOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (InterruptedException e) {
            return -1; // deactivated: the framework is stopping, someone else ends the process
        } catch (Exception e) {
            log.error("the console failed", e);
            System.err.println("error: the console failed: " + ScriptRunner.message(e));
            return ScriptRunner.FAILED;
        }
    }

    /**
     * The process's own stdout and stderr. Not System.out: Gogo's ThreadIO replaces it with a stream that writes to
     * the running command's session, so a session writing to System.out writes to itself (a StackOverflowError).
     */
    private static final PrintStream STDOUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    private static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true);

    private int script() throws Exception {
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), STDOUT, STDERR);
        try {
            catalog = new CommandCatalog(session, name -> log.info("waiting for command {}", name));
            Duration wait = commandWait();
            ScriptRunner runner = new ScriptRunner(session, catalog, wait, STDOUT, STDERR);
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            int status = runner.run(stdin);
            log.info("script ended with status {}", status);
            return status;
        } finally {
            session.close();
        }
    }

    /**
     * Our own prompt over the terminal rather than Gogo's {@code gosh}: gosh's console writes through the session's
     * ThreadIO streams and recurses on itself here (a StackOverflowError on the first command). Lines take Gogo's
     * whole syntax all the same; {@code help} lists the commands, {@code exit} leaves.
     */
    private int interactive() throws Exception {
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), STDOUT, STDERR);
        try {
            catalog = new CommandCatalog(session, name -> log.info("waiting for command {}", name));
            ScriptRunner runner = new ScriptRunner(session, catalog, commandWait(), STDOUT, STDERR);
            STDOUT.println("nvmeof-offload " + context.getProperty("nvmeof.appliance") + " appliance: nvme help, "
                    + "ip help, ofld help, nic help; exit to leave");
            BufferedReader terminal = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            return runner.interactive(terminal, "g! ");
        } finally {
            session.close();
        }
    }

    private Duration commandWait() {
        String value = context.getProperty(COMMAND_WAIT_PROPERTY);
        return value == null || value.isBlank() ? DEFAULT_COMMAND_WAIT
                : Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000));
    }

    private static void exit(int status) {
        if (status < 0) {
            return;
        }
        System.out.flush();
        System.err.flush();
        STDOUT.flush();
        STDERR.flush();
        // Ourselves: after a framework stop the bnd launcher would exit with 117 instead.
        System.exit(status);
    }
}
