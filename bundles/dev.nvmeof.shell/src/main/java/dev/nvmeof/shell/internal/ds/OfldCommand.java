package dev.nvmeof.shell.internal.ds;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.nvmeof.shell.internal.CommandWord;
import dev.nvmeof.shell.internal.OffloadCommands;
import dev.nvmeof.spi.offload.OffloadInspector;

/**
 * The Gogo command {@code ofld}, over the {@code tcp_offload} ULP's {@link OffloadInspector}; present without it, so
 * the command can say the ULP is not running.
 */
@Component(service = OfldCommand.class, property = {"osgi.command.scope=nvmeof", "osgi.command.function=ofld"})
public final class OfldCommand {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OffloadInspector inspector;

    private final CommandWord ofld = OffloadCommands.create(() -> inspector);

    @Descriptor("the tcp_offload ULP's devices, their claims and queues: ofld help")
    public void ofld(CommandSession session, Object... args) {
        ofld.run(session.getConsole(), args);
    }
}
