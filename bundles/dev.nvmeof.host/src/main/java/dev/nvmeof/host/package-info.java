/**
 * The host for use without OSGi (embedding, tests): {@link dev.nvmeof.host.EmbeddedNvmeHost}. In OSGi the host core
 * registers {@link dev.nvmeof.api.NvmeHost} and one {@link dev.nvmeof.api.BlockDevice} service per namespace itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.nvmeof.host;
