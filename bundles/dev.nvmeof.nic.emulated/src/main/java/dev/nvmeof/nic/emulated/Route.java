package dev.nvmeof.nic.emulated;

import java.net.InetAddress;

/**
 * The answer of a route lookup: the port a target is reached through, the local address its connections bind to,
 * and the length of the prefix that matched (longer is more specific; a driver's claim states it).
 */
public record Route(String port, InetAddress localAddress, int prefixLength) {
}
