package dev.nvmeof.target.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.nvmeof.target.NamespaceConfig;

/**
 * A namespace's storage. Offsets and lengths are in bytes, already checked against the size. Called from event loop
 * threads; implementations are safe for concurrent use on different ranges.
 */
abstract class Namespace implements AutoCloseable {
    final NamespaceConfig config;

    Namespace(NamespaceConfig config) {
        this.config = config;
    }

    static Namespace open(NamespaceConfig config) throws IOException {
        return config.isFile() ? new FileNamespace(config) : new RamNamespace(config);
    }

    int nsid() {
        return config.nsid();
    }

    long blocks() {
        return config.blocks();
    }

    int blockSize() {
        return config.blockSize();
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst} at absolute index {@code dstIndex}. */
    abstract void read(long offset, ByteBuffer dst, int dstIndex, int length) throws IOException;

    /**
     * Whether {@link #lend} hands out the memory holding these bytes, so they go to the socket without being copied
     * first (memory-backed namespaces, a range in one piece).
     */
    boolean lends(long offset, int length) {
        return false;
    }

    /**
     * The memory holding {@code length} bytes at {@code offset}, as a view from {@code views}; only where {@link
     * #lends} says so. Writes that overlap a read still being sent may show in it, as NVMe allows for overlapping
     * commands that run at the same time.
     */
    LentViews.Lent lend(long offset, int length, LentViews views) {
        throw new UnsupportedOperationException("this namespace copies its data");
    }

    /** Copies {@code length} bytes from {@code src} at absolute index {@code srcIndex} to {@code offset}. */
    abstract void write(long offset, ByteBuffer src, int srcIndex, int length) throws IOException;

    /** Zeroes a range (Write Zeroes). Callers bound the length: this runs in one go. */
    abstract void zero(long offset, long length) throws IOException;

    /**
     * Deallocates a range (Dataset Management): a hint. What the blocks read afterwards is what {@link
     * #deallocatedReadsZeroes()} says. Callers bound the length: this runs in one go.
     */
    abstract void deallocate(long offset, long length) throws IOException;

    /** Whether deallocated blocks read as zeroes (Identify Namespace DLFEAT bits 2:0 = 001b), or are not reported. */
    abstract boolean deallocatedReadsZeroes();

    /** Makes written data durable; returns true when it had anything to do (a file was forced). */
    abstract boolean flush() throws IOException;

    /** Whether {@link #flush} has anything to do: data may sit in a volatile cache in front of storage. */
    abstract boolean forcesToStorage();

    @Override
    public abstract void close();
}
