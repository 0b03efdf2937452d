package dev.nvmeof.host.internal.ds;

import java.io.File;
import java.io.IOException;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

import dev.nvmeof.api.HostIdentity;

/**
 * The host NQN and ID of the OSGi host, kept in the bundle's data area ({@code identity/}) so they survive restarts
 * as {@code /etc/nvme/hostnqn} and {@code /etc/nvme/hostid} do.
 */
final class HostIdentityFiles {
    private HostIdentityFiles() {
    }

    /**
     * The identity stored in the bundle's data area, created there the first time; a new one for this run when the
     * framework has no persistent storage.
     *
     * @throws IllegalStateException if the files cannot be read or written (the component fails to activate)
     */
    static HostIdentity load(BundleContext context, Logger log) {
        File directory = context.getDataFile("identity");
        if (directory == null) {
            log.warn("no persistent storage for the host identity: a new one is used until the framework stops");
            return HostIdentity.generate();
        }
        try {
            return HostIdentity.loadOrCreate(directory.toPath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot load or create the host identity in " + directory + ": "
                    + e.getMessage(), e);
        }
    }
}
