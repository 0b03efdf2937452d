/**
 * The offload stack in plain Java, without a framework: {@link dev.nvmeof.offload.OffloadStack} creates the
 * {@code tcp_offload} transport and takes {@link dev.nvmeof.spi.offload.OffloadDriver} devices as the Declarative
 * Services whiteboard would (with a {@code service.ranking} and a {@code service.id}), for embedding, examples,
 * benchmarks and driver test kits. In OSGi the bundle's own component does the same from the service registry.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.nvmeof.offload;
