package dev.nvmeof.shell.internal.ds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.shell.internal.CommandWord;
import dev.nvmeof.shell.internal.NvmeShell;

/** The Gogo command {@code nvme}, over the host service; waits briefly for a transport still starting. */
@Component(service = NvmeCommand.class, property = {"osgi.command.scope=nvmeof", "osgi.command.function=nvme"})
public final class NvmeCommand {
    private final CommandWord nvme;
    private String[] transports = new String[0];

    @Activate
    public NvmeCommand(@Reference NvmeHost host) {
        // Data files are named relative to the appliance's folder, its working directory.
        this.nvme = NvmeShell.create(host, this::awaitTransport, Path::of);
    }

    /** Keeps the host's {@code nvme.transports} property, to wait for a transport named in a connect. */
    @Reference(service = NvmeHost.class, updated = "hostUpdated")
    synchronized void hostBound(Map<String, Object> properties) {
        hostUpdated(properties);
    }

    synchronized void hostUpdated(Map<String, Object> properties) {
        Object value = properties.get(NvmeHost.TRANSPORTS_PROPERTY);
        transports = value instanceof String[] names ? names.clone() : new String[0];
        notifyAll();
    }

    private synchronized boolean awaitTransport(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Arrays.asList(transports).contains(name)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Descriptor("NVMe over Fabrics commands as nvme-cli has them: nvme help")
    public void nvme(CommandSession session, Object... args) {
        nvme.run(session.getConsole(), args);
    }
}
