/**
 * The software {@code tcp} transport in plain Java, without OSGi: {@link dev.nvmeof.transport.tcp.SoftwareTcp}.
 * In OSGi the bundle registers it as a {@code Transport} service itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.transport.tcp;
