package dev.nvmeof.host.internal.ds;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;

/**
 * One controller per factory configuration {@code dev.nvmeof.host.controller}, whose properties are the fabrics
 * options under the kernel's names ({@code transport}, {@code traddr}, {@code trsvcid}, {@code nqn},
 * {@code hdr_digest}, ...; dotted keys are configuration metadata and ignored). The controller is connected by the
 * {@link HostComponent} ({@link DeclaredControllers}) as soon as its transport is there, retried every
 * {@code reconnect_delay} while that fails, and disconnected when the configuration is deleted. ConfigAdmin persists
 * the configuration, so the controller comes back after a framework restart. Bad options fail the component (logged
 * by SCR, naming the option).
 */
@Component(service = {}, immediate = true, configurationPid = ControllerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ControllerComponent.Config.class, factory = true)
public final class ControllerComponent {
    public static final String PID = "dev.nvmeof.host.controller";

    /** The common options; any other fabrics option may be given under its kernel name as well. */
    @ObjectClassDefinition(name = "NVMe over Fabrics controller", description = "nvme connect, declared")
    public @interface Config {
        @AttributeDefinition(description = "transport: tcp, tcp_offload")
        String transport();

        @AttributeDefinition(description = "target address")
        String traddr();

        @AttributeDefinition(description = "target port (4420)", required = false)
        String trsvcid();

        @AttributeDefinition(description = "subsystem NQN")
        String nqn();
    }

    private final HostComponent host;

    @Activate
    public ControllerComponent(@Reference HostComponent host, Map<String, Object> properties)
            throws InvalidOptionException {
        this.host = host;
        ConnectOptions options = ConnectOptions.parse(properties);
        host.declare(this, String.valueOf(properties.get("service.pid")), options);
    }

    @Deactivate
    void deactivate() {
        host.withdraw(this);
    }
}
