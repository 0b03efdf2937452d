package dev.nvmeof.target.internal.ds;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.nvmeof.target.ConfigValues;
import dev.nvmeof.target.NamespaceConfig;

/**
 * One namespace per factory configuration {@code dev.nvmeof.target.namespace}. Adding or deleting the configuration
 * while hosts are connected sends them a Namespace Attribute Changed event.
 */
@Component(service = NamespaceComponent.class, immediate = true, configurationPid = NamespaceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NamespaceComponent.Config.class, factory = true)
public final class NamespaceComponent {
    public static final String PID = "dev.nvmeof.target.namespace";

    @ObjectClassDefinition(name = "NVMe/TCP target namespace")
    public @interface Config {
        @AttributeDefinition(description = "NQN of the subsystem the namespace belongs to")
        String subsystem();

        int nsid();

        @AttributeDefinition(description = "size with an optional K, M, G or T suffix")
        String size() default "256M";

        @AttributeDefinition(description = "logical block size: 512 or 4096")
        int blockSize() default 512;

        @AttributeDefinition(description = "backing file; empty for a RAM namespace")
        String file() default "";
    }

    private final TargetComponent target;

    @Activate
    public NamespaceComponent(@Reference TargetComponent target, Config config) {
        this.target = target;
        long size = ConfigValues.size(config.size());
        NamespaceConfig namespace = config.file().isEmpty()
                ? NamespaceConfig.ram(config.nsid(), size, config.blockSize())
                : NamespaceConfig.file(config.nsid(), Path.of(config.file()), size, config.blockSize());
        target.declareNamespace(this, config.subsystem(), namespace);
    }

    @Deactivate
    void deactivate() {
        target.withdrawNamespace(this);
    }
}
