package dev.nvmeof.target;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A namespace: its NSID, its size and logical block size, and what backs it. A RAM namespace lives off-heap and is
 * volatile; a file namespace keeps its data in a file (created or extended to the size) and makes Flush and FUA
 * writes durable with {@code FileChannel.force}.
 *
 * @param nsid      1..{@link #MAX_NSID}
 * @param sizeBytes a positive multiple of the block size
 * @param blockSize 512 or 4096
 * @param file      the backing file, or {@code null} for RAM
 */
public record NamespaceConfig(int nsid, long sizeBytes, int blockSize, Path file) {
    /** The largest NSID a subsystem serves (Identify Controller NN). */
    public static final int MAX_NSID = 1024;

    public NamespaceConfig {
        if (nsid < 1 || nsid > MAX_NSID) {
            throw new IllegalArgumentException("nsid must be 1.." + MAX_NSID + ", was " + nsid);
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, was " + blockSize);
        }
        if (sizeBytes <= 0 || sizeBytes % blockSize != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of " + blockSize + ", was " + sizeBytes);
        }
    }

    public static NamespaceConfig ram(int nsid, long sizeBytes, int blockSize) {
        return new NamespaceConfig(nsid, sizeBytes, blockSize, null);
    }

    public static NamespaceConfig file(int nsid, Path file, long sizeBytes, int blockSize) {
        return new NamespaceConfig(nsid, sizeBytes, blockSize, Objects.requireNonNull(file, "file"));
    }

    public boolean isFile() {
        return file != null;
    }

    public long blocks() {
        return sizeBytes / blockSize;
    }
}
