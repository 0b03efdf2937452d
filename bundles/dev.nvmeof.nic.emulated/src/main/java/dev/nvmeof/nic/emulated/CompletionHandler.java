package dev.nvmeof.nic.emulated;

/** Receives completion ring entries from {@link QueuePair#reapCompletions(CompletionHandler)}. */
@FunctionalInterface
@org.osgi.annotation.versioning.ConsumerType
public interface CompletionHandler {

    /**
     * One completion.
     *
     * @param status the CQE's status field (bit 0 phase, then SC, SCT, CRD, M, DNR), 0 on success
     * @param dw0    CQE dword 0 (command specific)
     * @param dw1    CQE dword 1
     */
    void onCompletion(int cid, int status, int dw0, int dw1);
}
