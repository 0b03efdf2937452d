package dev.nvmeof.target;

/**
 * Told each time a namespace's data is made durable ({@code FileChannel.force}) because of a Flush, a FUA write or a
 * shutdown, before the command's completion is sent. A seam for tests and metrics; called on an event loop thread,
 * so it must return quickly.
 */
@FunctionalInterface
public interface DurabilityObserver {
    DurabilityObserver NONE = (nqn, nsid) -> { };

    void forced(String subsystemNqn, int nsid);
}
