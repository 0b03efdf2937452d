package dev.nvmeof.target.internal.ds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.target.SubsystemAuthentication;
import dev.nvmeof.target.SubsystemConfig;

/** One NVM subsystem per factory configuration {@code dev.nvmeof.target.subsystem}. */
@Component(service = SubsystemComponent.class, immediate = true, configurationPid = SubsystemComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SubsystemComponent.Config.class, factory = true)
public final class SubsystemComponent {
    public static final String PID = "dev.nvmeof.target.subsystem";

    @ObjectClassDefinition(name = "NVMe/TCP target subsystem")
    public @interface Config {
        @AttributeDefinition(description = "subsystem NQN (any string, as Linux accepts)")
        String nqn();

        String serial() default "";

        String model() default "";

        @AttributeDefinition(description = "when false, only allowedHosts may connect")
        boolean allowAnyHost() default true;

        String[] allowedHosts() default {};

        @AttributeDefinition(description = "most I/O queues granted to a controller")
        int maxIoQueues() default SubsystemConfig.DEFAULT_MAX_IO_QUEUES;

        @AttributeDefinition(description = "DH-HMAC-CHAP keyring file, mode 600: per line '<host NQN> <secret>"
                + " [<controller secret>]'; each host listed authenticates every queue")
        String dhchapKeyring() default "";

        @AttributeDefinition(description = "with a keyring: hosts not in it may not connect")
        boolean dhchapRequired() default false;

        @AttributeDefinition(description = "with a keyring: the hashes accepted, in order of preference (sha256,"
                + " sha384, sha512; nvmet's hmac(sha384) too); default sha512, sha384, sha256")
        String[] dhchapHashes() default {};

        @AttributeDefinition(description = "with a keyring: the DH groups accepted, in order of preference (null,"
                + " ffdhe2048 ... ffdhe8192); default every ffdhe group, strongest first, and not null")
        String[] dhchapGroups() default {};
    }

    private final TargetComponent target;

    @Activate
    public SubsystemComponent(@Reference TargetComponent target, Config config) throws IOException {
        this.target = target;
        SubsystemConfig subsystem = new SubsystemConfig(config.nqn(), config.serial(), config.model(),
                config.allowAnyHost(), Set.of(config.allowedHosts()), config.maxIoQueues(), List.of());
        if (!config.dhchapKeyring().isBlank()) {
            SubsystemAuthentication auth = SubsystemAuthentication.fromKeyring(Path.of(config.dhchapKeyring()),
                    config.dhchapRequired());
            try {
                String hashes = String.join(",", config.dhchapHashes());
                String groups = String.join(",", config.dhchapGroups());
                auth = auth.withAlgorithms(hashes.isBlank() ? auth.hashes() : DhchapHash.listOf(hashes),
                        groups.isBlank() ? auth.groups() : DhGroup.listOf(groups));
            } catch (IllegalArgumentException e) {
                throw new IOException("subsystem " + config.nqn() + ": " + e.getMessage());
            }
            subsystem = subsystem.withAuthentication(auth);
        } else if (config.dhchapRequired() || config.dhchapHashes().length > 0 || config.dhchapGroups().length > 0) {
            throw new IOException("subsystem " + config.nqn()
                    + ": dhchapRequired, dhchapHashes and dhchapGroups need a dhchapKeyring");
        }
        target.declareSubsystem(this, subsystem);
    }

    @Deactivate
    void deactivate() {
        target.withdrawSubsystem(this);
    }
}
