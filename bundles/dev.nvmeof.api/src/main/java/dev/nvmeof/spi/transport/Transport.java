package dev.nvmeof.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;

/**
 * A fabrics transport, found by its {@link #name()} (the {@code transport=} option). Registered as a service; the
 * host core tracks transports dynamically and never calls one again after its service is gone.
 */
@ConsumerType
public interface Transport {
    /** The service property carrying {@link #name()}. */
    String NAME_PROPERTY = "transport";

    /** {@code tcp}, {@code tcp_offload}, ... */
    String name();

    /** The fabrics options this transport allows and requires (checked before {@link #associate}). */
    OptionPolicy optionPolicy();

    /**
     * Sets up what one controller needs from this transport (Linux {@code setup_ctrl}): called on the first connect
     * and again on every reconnect, each time paired with {@link TransportAssociation#close()}.
     *
     * @throws NvmeException when the transport cannot serve these options (unreachable address, no device claims
     *                       the connection, ...), with a message naming why
     */
    TransportAssociation associate(ConnectOptions options) throws NvmeException;
}
