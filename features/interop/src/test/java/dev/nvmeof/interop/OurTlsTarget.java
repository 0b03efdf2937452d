package dev.nvmeof.interop;

import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ListenerSecurity;
import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Our embedded target for the TLS interop tests: one subsystem {@link #NQN} with a 16 MiB RAM namespace, a TLS PSK
 * keyring file (mode 600, as the target requires) holding one host's key, a TLS-required listener and a plain one,
 * both on ephemeral ports of 127.0.0.1.
 */
final class OurTlsTarget implements AutoCloseable {
    static final String NQN = "nqn.2024-01.dev.nvmeof:tls-interop";
    static final int BLOCK = 512;

    final NvmeTarget target;
    final InetSocketAddress tlsAddress;
    final InetSocketAddress plainAddress;
    private final TlsPskKeyring keyring;

    private OurTlsTarget(NvmeTarget target, TlsPskKeyring keyring, InetSocketAddress tlsAddress,
            InetSocketAddress plainAddress) {
        this.target = target;
        this.keyring = keyring;
        this.tlsAddress = tlsAddress;
        this.plainAddress = plainAddress;
    }

    /** A target admitting {@code hostNqn} over TLS with {@code key} (interchange format); keyring in {@code dir}. */
    static OurTlsTarget start(Path dir, String hostNqn, String key) throws IOException {
        Path file = dir.resolve("target-tls-keys");
        Files.write(file, List.of(hostNqn + " " + NQN + " " + key));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        TlsPskKeyring keyring = TlsPskKeyring.read(file);
        NvmeTarget target = NvmeTarget.start(TargetOptions.defaults());
        try {
            target.addSubsystem(SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 16L << 20, BLOCK)));
            InetSocketAddress tls = target.listen(new InetSocketAddress("127.0.0.1", 0),
                    ListenerSecurity.tlsRequired(keyring));
            InetSocketAddress plain = target.listen(new InetSocketAddress("127.0.0.1", 0), ListenerSecurity.none());
            return new OurTlsTarget(target, keyring, tls, plain);
        } catch (IOException | RuntimeException e) {
            target.close();
            keyring.close();
            throw e;
        }
    }

    int tlsPort() {
        return tlsAddress.getPort();
    }

    int plainPort() {
        return plainAddress.getPort();
    }

    /** Stops the target, then forgets the keys (the target does not close the keyring it was given). */
    @Override
    public void close() {
        try {
            target.close();
        } finally {
            keyring.close();
        }
    }
}
