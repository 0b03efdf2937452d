/**
 * An embeddable NVMe/TCP target (NVMe over Fabrics 1.1, TCP Transport Specification 1.0): a discovery subsystem and
 * NVM subsystems with RAM or file namespaces, served on NIO event loops. Start one with
 * {@link dev.nvmeof.target.NvmeTarget#start(dev.nvmeof.target.TargetOptions)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.nvmeof.target;
