package dev.nvmeof.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one checked family every NVMe operation of this host fails with (an {@link IOException}, so blocking
 * callers that already handle I/O errors need nothing new). Asynchronous operations complete their
 * {@code CompletableFuture} exceptionally with one of the subclasses:
 *
 * <table>
 * <caption>what failed, and what the caller may do</caption>
 * <tr><th>type</th><th>what failed</th><th>the connection</th></tr>
 * <tr><td>{@link NvmeStatusException}</td><td>the command completed with an error status</td><td>fine</td></tr>
 * <tr><td>{@link NvmeTransportException}</td><td>the connection</td><td>dead; maybe worth a reconnect</td></tr>
 * <tr><td>{@link NvmeTimeoutException}</td><td>a connect step or a command missed its deadline</td>
 * <td>being recovered, or the connect attempt failed</td></tr>
 * <tr><td>{@link InvalidOptionException}</td><td>an option, before anything was created</td><td>none</td></tr>
 * </table>
 *
 * <p>Instances are built by the static factories of each subclass, which write a message a user understands.
 */
@ProviderType
public abstract class NvmeException extends IOException {

    private static final long serialVersionUID = 1L;

    protected NvmeException(String message) {
        super(message);
    }

    protected NvmeException(String message, Throwable cause) {
        super(message, cause);
    }
}
