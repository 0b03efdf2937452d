package dev.nvmeof.spi.offload;

import java.net.InetAddress;
import java.util.Set;

/**
 * Facts a device states when it claims a connection; the ULP ranks claims from them, in this order: honours every
 * requested option, longest route prefix, link speed, free hardware vectors, fewest active queues, then the
 * service's {@code service.ranking} and lowest {@code service.id}. No fact is a score, so no vendor wins by claiming a
 * bigger number.
 *
 * @param localAddress          the address its connections will come from (the paired net device's)
 * @param routePrefixLength     the prefix length of the route to the target it would use (32 for a host route)
 * @param linkSpeedBitsPerSecond the port's link speed
 * @param freeHardwareVectors   hardware vectors (queues) still free on the device
 * @param activeQueues          queues the device carries now
 * @param honouredOptions       which of the requested options it honours
 */
public record OffloadClaim(String deviceName, InetAddress localAddress, int routePrefixLength,
        long linkSpeedBitsPerSecond, int freeHardwareVectors, int activeQueues, Set<String> honouredOptions) {
    public OffloadClaim {
        if (routePrefixLength < 0 || routePrefixLength > 128 || linkSpeedBitsPerSecond < 0 || freeHardwareVectors < 0
                || activeQueues < 0) {
            throw new IllegalArgumentException("claim facts out of range");
        }
        honouredOptions = Set.copyOf(honouredOptions);
    }

    /** Whether this claim honours every option of the request. */
    public boolean honoursAll(ConnectRequest request) {
        return honouredOptions.containsAll(request.requested());
    }
}
