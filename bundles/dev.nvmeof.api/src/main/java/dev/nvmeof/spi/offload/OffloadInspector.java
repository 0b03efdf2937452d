package dev.nvmeof.spi.offload;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;

/**
 * What the {@code tcp_offload} ULP can say about its devices without connecting anything: which device would carry a
 * connection and why ({@code ofld claims}), and the devices with their limits and the queues they carry now
 * ({@code ofld drivers}, {@code ofld queues}). Registered as a service by the ULP beside its transport.
 *
 * @since 1.2
 */
@ProviderType
public interface OffloadInspector {

    /**
     * Asks every device to claim a connection with these options, exactly as a connect would, and ranks the claims;
     * nothing is set up. The verdicts come in rank order: the winner first (if any claim honours every option), then
     * the losers, then the devices that declined, each with its reason.
     *
     * @throws NvmeException the target address cannot be resolved
     */
    List<ClaimVerdict> claims(ConnectOptions options) throws NvmeException;

    /** The devices registered now, in {@code service.id} order. */
    List<OffloadDeviceInfo> devices();
}
