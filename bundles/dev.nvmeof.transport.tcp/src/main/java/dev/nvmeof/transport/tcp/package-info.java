/**
 * The software NVMe/TCP transport for use without OSGi (embedding, tests): {@link
 * dev.nvmeof.transport.tcp.TcpTransportRuntime}. In OSGi the same transport registers itself as the {@code tcp}
 * {@link dev.nvmeof.spi.transport.Transport} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.transport.tcp;
