package dev.nvmeof.nic.emulated;

import java.io.IOException;

/** The interrupt line of a queue pair: called on the NIC's engine thread, never after {@link QueuePair#drain()}. */
@org.osgi.annotation.versioning.ConsumerType
public interface QueuePairListener {

    /** New entries are in the completion ring: called once per engine batch, however many arrived. */
    void completionsAvailable(QueuePair queuePair);

    /**
     * The queue pair failed (connection reset or closed by the peer, link down, a fatal PDU) and serves nothing more;
     * called once. Commands still outstanding will not complete: the driver fails them after {@link QueuePair#drain()}.
     */
    void queueFailed(QueuePair queuePair, IOException cause);
}
