package dev.nvmeof.shell.internal.ds;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.shell.internal.CommandWord;
import dev.nvmeof.shell.internal.IpCommands;
import dev.nvmeof.shell.internal.NicCommands;
import dev.nvmeof.shell.internal.NicPorts;

/**
 * The Gogo commands {@code ip} and {@code nic}, over every emulated NIC function service present (they come and go):
 * one tracked list for both words.
 */
@Component(service = EmulatedNicCommands.class, property = {"osgi.command.scope=nvmeof", "osgi.command.function=ip",
    "osgi.command.function=nic"})
public final class EmulatedNicCommands {
    private final List<NicFunction> functions = new CopyOnWriteArrayList<>();
    private final NicPorts ports = new NicPorts(() -> List.copyOf(functions));
    private final CommandWord ip = IpCommands.create(ports);
    private final CommandWord nic = NicCommands.create(ports);

    @Reference(service = NicFunction.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNic(NicFunction function) {
        functions.add(function);
    }

    void unbindNic(NicFunction function) {
        functions.remove(function);
    }

    @Descriptor("addresses, links and routes of the emulated offload NIC ports, as iproute2: ip help")
    public void ip(CommandSession session, Object... args) {
        ip.run(session.getConsole(), args);
    }

    @Descriptor("counters and fault injection of the emulated offload NICs: nic help")
    public void nic(CommandSession session, Object... args) {
        nic.run(session.getConsole(), args);
    }
}
