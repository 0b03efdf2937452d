package dev.nvmeof.spi.offload;

import java.util.List;

import dev.nvmeof.api.OptionPolicy;

/**
 * A registered offload device as the ULP sees it ({@link OffloadInspector#devices()}).
 *
 * @param queues the queues it carries now, of every controller on it
 * @since 1.2
 */
public record OffloadDeviceInfo(String name, long serviceId, int serviceRanking, OffloadLimits limits,
        OptionPolicy optionPolicy, List<OffloadQueueInfo> queues) {

    public OffloadDeviceInfo {
        queues = List.copyOf(queues);
    }

    /**
     * One queue on a device.
     *
     * @param subsystemNqn the controller's subsystem
     * @param target       {@code address:port} of the target
     * @param qid          0 for the admin queue
     */
    public record OffloadQueueInfo(String subsystemNqn, String target, int qid, int queueSize, boolean polled,
            boolean headerDigest, boolean dataDigest) {
    }
}
