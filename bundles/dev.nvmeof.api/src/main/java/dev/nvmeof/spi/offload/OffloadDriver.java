package dev.nvmeof.spi.offload;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;

/**
 * One offload device of a vendor driver (Linux {@code struct nvme_tcp_ofld_dev} with its ops). Registered as a
 * service per device; thread-safe: the ULP may call it from several controllers at once.
 */
@ConsumerType
public interface OffloadDriver {

    /** The device's name for users, e.g. the paired net device {@code p1p1}. */
    String deviceName();

    /** The device's maximums: I/O size, segments, hardware vectors (= most queues). */
    OffloadLimits limits();

    /** The fabrics options this device can honour ({@code allowed_opts}) and insists on ({@code required_opts}). */
    OptionPolicy optionPolicy();

    /**
     * Says whether, and how well, this device can carry a connection (Linux {@code claim_dev}): empty when it cannot
     * reach the target through its paired net device. Must not change device state and must return quickly.
     */
    Optional<OffloadClaim> claimDev(ConnectRequest request);

    /**
     * Why {@link #claimDev} declines {@code request}, in words for the user (e.g. "no port named p9p1", "link down on
     * p1p1"); called only after an empty claim, and must return quickly. The default says the target is unreachable.
     */
    default String declineReason(ConnectRequest request) {
        return "cannot reach " + request.target().getAddress().getHostAddress() + " through its net device";
    }

    /**
     * Sets up the device's state for one controller (Linux {@code setup_ctrl}); called on every (re)connect after
     * this device's claim won, paired with {@link OffloadController#close()} ({@code release_ctrl}).
     */
    OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException;
}
