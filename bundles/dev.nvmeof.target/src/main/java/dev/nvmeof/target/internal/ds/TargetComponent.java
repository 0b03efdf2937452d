package dev.nvmeof.target.internal.ds;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ConfigValues;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;

/**
 * The target as a DS component, configured by PID {@code dev.nvmeof.target}: it listens where configured (on
 * {@code tlsListen} with TLS, its keyring closed with the component) and serves
 * the subsystems and namespaces declared by the factory configurations {@code dev.nvmeof.target.subsystem} and
 * {@code dev.nvmeof.target.namespace}. It keeps the declared state and applies it in any arrival order: a namespace
 * declared before its subsystem is added when the subsystem arrives.
 */
// Registered by hand, so the service capability is declared here for resolvers (bnd, Karaf).
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.nvmeof.target.NvmeTarget")
@Component(service = TargetComponent.class, immediate = true, configurationPid = TargetComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TargetComponent.Config.class)
public final class TargetComponent {
    public static final String PID = "dev.nvmeof.target";

    @ObjectClassDefinition(name = "NVMe/TCP target", description = "Where the embedded target listens")
    public @interface Config {
        @AttributeDefinition(description = "host:port addresses to listen on; port 0 picks a free one")
        String[] listen() default {"127.0.0.1:4420", "127.0.0.1:8009"};

        @AttributeDefinition(description = "event loop threads; 0 = one per CPU")
        int eventLoops() default 0;

        @AttributeDefinition(description = "milliseconds a new connection has to send its ICReq and Connect")
        long handshakeTimeoutMillis() default 10_000;

        @AttributeDefinition(description = "open connections in total; more are closed at accept")
        int maxConnections() default TargetOptions.DEFAULT_MAX_CONNECTIONS;

        @AttributeDefinition(description = "open connections from one remote address; more are closed at accept")
        int maxConnectionsPerAddress() default TargetOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

        @AttributeDefinition(description = "controllers per subsystem; more Connects are refused (Controller Busy)")
        int maxControllers() default TargetOptions.DEFAULT_MAX_CONTROLLERS;

        @AttributeDefinition(description = "the most one I/O command moves (MDTS), like 1M: a power of two, 8K..256M")
        String maxTransferSize() default "1M";

        @AttributeDefinition(description = "host:port addresses to listen on with NVMe/TCP over TLS 1.3 (TP 8011);"
                + " port 0 picks a free one; needs tlsKeyring")
        String[] tlsListen() default {};

        @AttributeDefinition(description = "on the tlsListen addresses, as nvmet's addr_treq: required (TLS only) or"
                + " allowed (TLS and plain NVMe/TCP)")
        String tls() default "required";

        @AttributeDefinition(description = "TLS PSK keyring file, mode 600: per line '<host NQN> <subsystem NQN>"
                + " NVMeTLSkey-1:..:'")
        String tlsKeyring() default "";
    }

    private final Logger log;
    private final NvmeTarget target;
    private final TlsPskKeyring tlsKeys;
    private final ServiceRegistration<NvmeTarget> registration;
    private final Map<Object, SubsystemConfig> subsystems = new HashMap<>();
    private final Map<Object, Map.Entry<String, NamespaceConfig>> namespaces = new HashMap<>();

    @Activate
    public TargetComponent(Config config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.log = log;
        ListenerSecurity security;
        try {
            security = tlsSecurity(config);
        } catch (IOException | RuntimeException e) {
            // SCR reports a failed activation its own way; say here, once, which setting is wrong and why.
            log.error("NVMe/TCP target not started: {}", e.getMessage());
            throw e;
        }
        this.tlsKeys = security.keyring();
        int loops = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        try {
            target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(loops)
                    .withHandshakeTimeout(Duration.ofMillis(config.handshakeTimeoutMillis()))
                    .withMaxConnections(config.maxConnections())
                    .withMaxConnectionsPerAddress(config.maxConnectionsPerAddress())
                    .withMaxControllers(config.maxControllers())
                    .withMaxTransferSize(transferSize(config.maxTransferSize())));
        } catch (IOException | RuntimeException e) {
            closeKeys();
            throw e;
        }
        try {
            for (String address : config.listen()) {
                InetSocketAddress bound = target.listen(ConfigValues.address(address));
                log.info("NVMe/TCP target listening on {}", bound);
            }
            for (String address : config.tlsListen()) {
                InetSocketAddress bound = target.listen(ConfigValues.address(address), security);
                log.info("NVMe/TCP target listening on {} with TLS {}", bound, config.tls());
            }
        } catch (IOException | RuntimeException e) {
            target.close();
            closeKeys();
            throw e;
        }
        // The running target is a service of the exported API type, for tools and tests (listeners, subsystems).
        registration = context.registerService(NvmeTarget.class, target, null);
    }

    /**
     * The security of the {@code tlsListen} addresses, its keyring read now: a missing, unreadable or too open file
     * (or a bad line, named by number, never by key) fails the activation.
     */
    private static ListenerSecurity tlsSecurity(Config config) throws IOException {
        boolean listens = config.tlsListen().length > 0;
        if (!listens) {
            if (!config.tlsKeyring().isBlank()) {
                throw new IllegalArgumentException("tlsKeyring is set but tlsListen names no address to use it on");
            }
            return ListenerSecurity.none();
        }
        ListenerSecurity.Tls tls = switch (config.tls()) {
            case "required" -> ListenerSecurity.Tls.REQUIRED;
            case "allowed" -> ListenerSecurity.Tls.ALLOWED;
            default -> throw new IllegalArgumentException("tls must be required or allowed, was " + config.tls());
        };
        if (config.tlsKeyring().isBlank()) {
            throw new IllegalArgumentException("tlsListen needs a tlsKeyring (the hosts' TLS PSKs)");
        }
        return new ListenerSecurity(tls, TlsPskKeyring.read(Path.of(config.tlsKeyring())));
    }

    private static int transferSize(String value) {
        long bytes = ConfigValues.size(value);
        if (bytes > TargetOptions.MAX_TRANSFER_SIZE) {
            throw new IllegalArgumentException("maxTransferSize must be at most 256M, was " + value);
        }
        return (int) bytes;
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        target.close();
        closeKeys();
        log.info("NVMe/TCP target stopped");
    }

    /** Zeroes the TLS keys once no listener can use them. */
    private void closeKeys() {
        if (tlsKeys != null) {
            tlsKeys.close();
        }
    }

    /** The running target, for the other components of this bundle and for tests. */
    public NvmeTarget target() {
        return target;
    }

    synchronized void declareSubsystem(Object owner, SubsystemConfig config) throws IOException {
        target.addSubsystem(config);
        subsystems.put(owner, config);
        log.info("serving subsystem {}", config.nqn());
        for (Map.Entry<String, NamespaceConfig> ns : List.copyOf(namespaces.values())) {
            if (ns.getKey().equals(config.nqn())) {
                addNamespace(ns.getKey(), ns.getValue());
            }
        }
    }

    synchronized void withdrawSubsystem(Object owner) {
        SubsystemConfig config = subsystems.remove(owner);
        if (config != null) {
            target.removeSubsystem(config.nqn());
            log.info("stopped serving subsystem {}", config.nqn());
        }
    }

    synchronized void declareNamespace(Object owner, String nqn, NamespaceConfig config) {
        namespaces.put(owner, Map.entry(nqn, config));
        if (target.subsystems().contains(nqn)) {
            addNamespace(nqn, config);
        } else {
            log.info("namespace {} waits for subsystem {}", config.nsid(), nqn);
        }
    }

    synchronized void withdrawNamespace(Object owner) {
        Map.Entry<String, NamespaceConfig> ns = namespaces.remove(owner);
        if (ns != null && target.subsystems().contains(ns.getKey())) {
            target.removeNamespace(ns.getKey(), ns.getValue().nsid());
            log.info("removed namespace {} from {}", ns.getValue().nsid(), ns.getKey());
        }
    }

    private void addNamespace(String nqn, NamespaceConfig config) {
        try {
            target.addNamespace(nqn, config);
            log.info("added namespace {} ({} bytes) to {}", config.nsid(), config.sizeBytes(), nqn);
        } catch (IOException | RuntimeException e) {
            log.error("cannot add namespace {} to {}: {}", config.nsid(), nqn, e.toString());
        }
    }
}
