package dev.nvmeof.shell.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;

import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import dev.nvmeof.transport.tcp.TcpTransportRuntime;

/**
 * A real Gogo session (Felix's command processor, no framework) over a real host with the {@code tcp} and
 * {@code tcp_offload} transports, two emulated NICs with their drivers (acme-A0001 on {@code p1p1} 127.0.0.2/8 at
 * 25 Gb/s with {@code tos}; acme-B0002 on {@code p2p1} 127.0.0.3/8 at 10 Gb/s without, so A wins on link speed until
 * a longer prefix or an option says otherwise), and our target on an ephemeral loopback port serving {@value #NQN}.
 * The words {@code nvme}, {@code ip}, {@code ofld} and {@code nic} are registered.
 */
final class ShellFixture implements AutoCloseable {
    static final String NQN = "testnqn";
    /** 8 MiB; a hand-run measurement ({@link PerfThreadsByHand}) may ask for more with -DshellFixture.bytes. */
    static final long SIZE = Long.getLong("shellFixture.bytes", 8 << 20);

    final NvmeTarget target;
    final int port;
    final TcpTransportRuntime tcp = new TcpTransportRuntime(1);
    final OffloadStack offload = new OffloadStack();
    final NicFunction nic;
    final NicFunction nic2;
    final EmbeddedNvmeHost host;
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final CommandSession session;

    ShellFixture(Path stateDirectory) throws IOException {
        target = NvmeTarget.start(TargetOptions.defaults());
        target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, SIZE, 512)));
        port = target.listen(new InetSocketAddress("127.0.0.1", 0)).getPort();
        nic = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "A0001", 25_000, 8, 128 << 10, 256, false), 1, 1);
        nic.netDevice().addAddress("p1p1", "127.0.0.2/8");
        offload.addDriver(new NicOffloadDriver(VendorProfile.of("acme", 0x1AC3, 0x0100, "tos"), nic));
        nic2 = NicFunction.start(new NicCapabilities(0x1AC3, 0x0100, "B0002", 10_000, 4, 64 << 10, 128, false), 2, 1);
        nic2.netDevice().addAddress("p2p1", "127.0.0.3/8");
        offload.addDriver(new NicOffloadDriver(VendorProfile.of("acme", 0x1AC3, 0x0100), nic2));
        host = EmbeddedNvmeHost.start(HostIdentity.generate(), Duration.ofSeconds(30), tcp, offload.transport());
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        CommandWord nvme = NvmeShell.create(host, (name, timeout) -> List.of("tcp", "tcp_offload").contains(name),
                name -> stateDirectory.resolve(name));
        processor.addCommand("nvmeof", new Object() {
            @SuppressWarnings("unused")
            public void nvme(CommandSession s, Object... args) {
                nvme.run(s.getConsole(), args);
            }
        }, "nvme");
        NicPorts ports = new NicPorts(() -> List.of(nic2, nic));
        CommandWord ip = IpCommands.create(ports);
        CommandWord ofld = OffloadCommands.create(offload::inspector);
        CommandWord nicWord = NicCommands.create(ports);
        Object words = new Object() {
            @SuppressWarnings("unused")
            public void ip(CommandSession s, Object... args) {
                ip.run(s.getConsole(), args);
            }

            @SuppressWarnings("unused")
            public void ofld(CommandSession s, Object... args) {
                ofld.run(s.getConsole(), args);
            }

            @SuppressWarnings("unused")
            public void nic(CommandSession s, Object... args) {
                nicWord.run(s.getConsole(), args);
            }
        };
        for (String function : new String[] {"ip", "ofld", "nic"}) {
            processor.addCommand("nvmeof", words, function);
        }
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    /** Runs one command line in the session; returns what it printed. Throws what the command threw. */
    String run(String line) throws Exception {
        output.reset();
        session.execute(line);
        session.getConsole().flush();
        return output.toString(StandardCharsets.UTF_8);
    }

    /** The options of a connect to our target over {@code transport}. */
    String connect(String transport) {
        return "nvme connect -t " + transport + " -a 127.0.0.1 -s " + port + " -n " + NQN;
    }

    @Override
    public void close() {
        session.close();
        threadIo.stop();
        host.close();
        offload.close();
        tcp.close();
        nic.close();
        nic2.close();
        target.close();
    }
}
