package dev.nvmeof.target.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import dev.nvmeof.target.NamespaceConfig;

/** A namespace in a file: positional reads and writes, {@code force} on flush (the file system's cache is volatile). */
final class FileNamespace extends Namespace {
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final FileChannel channel;

    FileNamespace(NamespaceConfig config) throws IOException {
        super(config);
        channel = FileChannel.open(config.file(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (channel.size() < config.sizeBytes()) {
            channel.write(ByteBuffer.wrap(new byte[1]), config.sizeBytes() - 1);
        }
    }

    @Override
    void read(long offset, ByteBuffer dst, int dstIndex, int length) throws IOException {
        ByteBuffer view = dst.duplicate();
        view.limit(dstIndex + length).position(dstIndex);
        while (view.hasRemaining()) {
            int n = channel.read(view, offset + view.position() - dstIndex);
            if (n < 0) {
                throw new IOException("namespace file " + config.file() + " is shorter than its size");
            }
        }
    }

    @Override
    void write(long offset, ByteBuffer src, int srcIndex, int length) throws IOException {
        ByteBuffer view = src.duplicate();
        view.limit(srcIndex + length).position(srcIndex);
        while (view.hasRemaining()) {
            channel.write(view, offset + view.position() - srcIndex);
        }
    }

    @Override
    void zero(long offset, long length) throws IOException {
        while (length > 0) {
            ByteBuffer zeroes = ZEROES.duplicate();
            zeroes.limit((int) Math.min(length, zeroes.capacity()));
            int n = channel.write(zeroes, offset);
            offset += n;
            length -= n;
        }
    }

    /**
     * A hint that changes nothing: the JDK cannot punch holes, and writing zeroes would fill a sparse file (a
     * "discard" must never use up the disk). Identify says deallocated blocks read as "not reported".
     */
    @Override
    void deallocate(long offset, long length) {
        // nothing to do
    }

    @Override
    boolean deallocatedReadsZeroes() {
        return false;
    }

    @Override
    boolean flush() throws IOException {
        channel.force(false);
        return true;
    }

    @Override
    boolean forcesToStorage() {
        return true;
    }

    /** Forces the data to disk, then closes: a target that stops cleanly leaves nothing in the page cache only. */
    @Override
    public void close() {
        try (FileChannel c = channel) {
            if (c.isOpen()) {
                c.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
