package dev.nvmeof.interop;

import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.shell.NvmeCli;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;

/**
 * Our shell's {@code nvme} command in a real Gogo session (Felix's command processor, no framework) over our host with
 * the software {@code tcp} transport, in this JVM: what a user of the appliance types, as the shell bundle's own
 * {@code ShellFixture} runs it. The command is the shell bundle's exported {@link NvmeCli}, the one its Gogo command
 * runs.
 */
final class OurShell implements AutoCloseable {
    final EmbeddedNvmeHost host;
    private final TcpTransportRuntime transport = new TcpTransportRuntime(1);
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final CommandSession session;

    OurShell(Path files) {
        host = EmbeddedNvmeHost.start(HostIdentity.generate(), Duration.ofSeconds(30), transport);
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        NvmeCli nvme = NvmeCli.over(host, files::resolve);
        processor.addCommand("nvmeof", new Object() {
            @SuppressWarnings("unused")
            public void nvme(CommandSession s, Object... args) {
                nvme.run(s.getConsole(), args);
            }
        }, "nvme");
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    /** Runs one command line; returns what it printed. Throws what the command threw (one line, for a failure). */
    String run(String line) throws Exception {
        output.reset();
        session.execute(line);
        session.getConsole().flush();
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            run("nvme disconnect-all");
        } catch (Exception e) {
            // best effort: the host closes its controllers anyway
        }
        session.close();
        threadIo.stop();
        host.close();
        transport.close();
    }
}
