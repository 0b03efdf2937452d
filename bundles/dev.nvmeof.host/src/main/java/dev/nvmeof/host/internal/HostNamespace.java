package dev.nvmeof.host.internal;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeNamespace;

/** A namespace found by the scan (Identify Namespace), with the block device over it. Immutable. */
final class HostNamespace implements NvmeNamespace {
    private final String name;
    private final int nsid;
    private final long blocks;
    private final int blockSize;
    private final HostBlockDevice device;
    private final NamespaceIo io;

    /**
     * @param name      {@code nvme0n1}
     * @param blocks    NSZE
     * @param blockSize the formatted LBA format's data size
     */
    HostNamespace(String name, int nsid, long blocks, int blockSize, IoPath path) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1 || blocks < 0) {
            throw new IllegalArgumentException("namespace " + nsid + ": " + blocks + " blocks of " + blockSize);
        }
        this.name = name;
        this.nsid = nsid;
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.io = new NamespaceIo(this);
        this.device = new HostBlockDevice(this, path);
    }

    /** The owner of the callers' requests on this namespace, on its controller's queues. */
    NamespaceIo io() {
        return io;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int nsid() {
        return nsid;
    }

    @Override
    public long blocks() {
        return blocks;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public BlockDevice device() {
        return device;
    }

    @Override
    public String toString() {
        return name + " (" + blocks + " x " + blockSize + " B)";
    }
}
