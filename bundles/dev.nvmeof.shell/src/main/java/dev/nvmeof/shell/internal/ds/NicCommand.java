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
import dev.nvmeof.shell.internal.NicCommands;
import dev.nvmeof.shell.internal.NicPorts;

/** The Gogo command {@code nic}, over every emulated NIC function service present (they come and go). */
@Component(service = NicCommand.class, property = {"osgi.command.scope=nvmeof", "osgi.command.function=nic"})
public final class NicCommand {
    private final List<NicFunction> functions = new CopyOnWriteArrayList<>();
    private final CommandWord nic = NicCommands.create(new NicPorts(() -> List.copyOf(functions)));

    @Reference(service = NicFunction.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNic(NicFunction function) {
        functions.add(function);
    }

    void unbindNic(NicFunction function) {
        functions.remove(function);
    }

    @Descriptor("counters and fault injection of the emulated offload NICs: nic help")
    public void nic(CommandSession session, Object... args) {
        nic.run(session.getConsole(), args);
    }
}
