package dev.nvmeof.protocol.tcp;

import java.io.IOException;

/**
 * A channel that may take bytes before the socket does (TLS: records encrypted but not yet sent). A writer that saw
 * all its bytes taken still waits for the socket while {@link #outputPending()} says so, and lets the channel send
 * them with {@link #flushOutput()} when the socket takes data again.
 */
public interface BufferedOutput {
    /** Whether bytes the channel took are still waiting for the socket. */
    boolean outputPending();

    /** Sends what waits, as far as the socket takes it; true when nothing is left. */
    boolean flushOutput() throws IOException;
}
