package dev.nvmeof.api;

import org.osgi.annotation.versioning.ProviderType;

/** A namespace of a controller ({@code nvme0n1}), with the block device over it. */
@ProviderType
public interface NvmeNamespace {

    /** {@code nvme0n1}: controller name, {@code n}, NSID. */
    String name();

    int nsid();

    long blocks();

    int blockSize();

    BlockDevice device();
}
