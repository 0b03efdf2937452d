/**
 * nvme-cli's commands in plain Java ({@link dev.nvmeof.shell.NvmeCli}), for a program or a test that embeds them; in
 * OSGi the bundle registers them, with {@code ip}, {@code ofld} and {@code nic}, as Gogo commands.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.shell;
