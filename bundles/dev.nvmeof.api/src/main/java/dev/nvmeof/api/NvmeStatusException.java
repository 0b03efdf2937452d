package dev.nvmeof.api;

import java.util.Objects;

import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.NvmeStatus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A command completed with an error status in its completion queue entry (NVMe Base 2.0, "Status Field
 * Definition"), or the host completed it with a host status such as Host Pathing Error (0x370) or Command Aborted
 * By Host (0x371). The connection itself is fine; whether a retry makes sense is {@link NvmeStatus#dnr()}.
 */
@ProviderType
public class NvmeStatusException extends NvmeException {

    private static final long serialVersionUID = 1L;

    /** The value of {@link #cid()} when the command never had a command identifier (it was never sent). */
    public static final int NO_CID = -1;

    private final transient NvmeStatus status;
    private final int cid;

    protected NvmeStatusException(String message, NvmeStatus status, int cid) {
        super(message);
        this.status = status;
        this.cid = cid;
    }

    /**
     * @param status the error status; not success
     * @param cid the command identifier, 0 to 65535, or {@link #NO_CID}
     */
    public static NvmeStatusException of(NvmeStatus status, int cid) {
        return of(null, status, cid);
    }

    /**
     * @param command what the command was, for the message (e.g. "Identify Controller", "Write"); may be null
     * @param status the error status; not success
     * @param cid the command identifier, 0 to 65535, or {@link #NO_CID}
     * @throws IllegalArgumentException if the status is a success or the CID is out of range
     */
    public static NvmeStatusException of(String command, NvmeStatus status, int cid) {
        Objects.requireNonNull(status, "status");
        if (status.isSuccess()) {
            throw new IllegalArgumentException("a successful status is not an error: " + status);
        }
        if (cid < NO_CID || cid > 0xFFFF) {
            throw new IllegalArgumentException("cid out of range: " + cid);
        }
        StringBuilder message = new StringBuilder(96).append(command == null ? "command" : command);
        if (cid != NO_CID) {
            message.append(" (cid ").append(cid).append(')');
        }
        message.append(" failed: ").append(status);
        return new NvmeStatusException(message.toString(), status, cid);
    }

    /** The command was failed because no path to the controller is left (0x370), e.g. after ctrl_loss_tmo. */
    public static NvmeStatusException hostPathError(String command, int cid) {
        return of(command, NvmeStatus.HOST_PATH_ERROR, cid);
    }

    /** The host aborted the command itself (0x371), e.g. it timed out while the controller was not LIVE. */
    public static NvmeStatusException hostAborted(String command, int cid) {
        return of(command, NvmeStatus.HOST_ABORTED, cid);
    }

    /**
     * In-band authentication of queue {@code qid} failed (a wrong secret, a refused transaction, or a controller that
     * requires authentication from a host without a secret): status Authentication Required (SCT 1h, SC 91h) with
     * DNR, as Linux's host reports it ({@code NVME_SC_AUTH_REQUIRED}), so no retry repeats it.
     *
     * @param reason what failed, never key material
     * @since 1.7
     */
    public static NvmeStatusException authenticationFailed(int qid, String reason) {
        NvmeStatus status = NvmeStatus.commandSpecific(CommandSpecificStatus.AUTHENTICATION_REQUIRED, true);
        return new NvmeStatusException("authentication failed on queue " + qid + ": " + reason + " (" + status + ")",
                status, NO_CID);
    }

    /** The status the command completed with. */
    public NvmeStatus status() {
        return status;
    }

    /** The command identifier, or {@link #NO_CID}. */
    public int cid() {
        return cid;
    }
}
