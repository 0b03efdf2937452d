package dev.nvmeof.spi.offload;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

import dev.nvmeof.api.ConnectOptions;

/**
 * A connection the ULP wants carried: the target's address, where the host wants to come from (if it said), and
 * which fabrics options the user asked for (a claim says which of them it honours).
 *
 * @param hostAddress the {@code host_traddr} asked for, or null
 * @param hostIface   the {@code host_iface} asked for, or null
 * @param requested   the option names the user gave (kernel names), the ones a claim must honour
 */
public record ConnectRequest(ConnectOptions options, InetSocketAddress target, InetAddress hostAddress,
        String hostIface, Set<String> requested) {
    public ConnectRequest {
        requested = Set.copyOf(requested);
    }
}
