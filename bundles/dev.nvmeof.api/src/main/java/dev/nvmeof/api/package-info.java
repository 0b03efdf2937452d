/**
 * The public API of the NVMe-over-Fabrics host: what users and other bundles call to connect controllers and use
 * their namespaces.
 *
 * <p>So far: {@link dev.nvmeof.api.ConnectOptions}, the Linux fabrics options ({@code /dev/nvme-fabrics} syntax,
 * defaults and validation as in {@code drivers/nvme/host/fabrics.c}); {@link dev.nvmeof.api.OptionPolicy}, which
 * options a transport allows and requires; {@link dev.nvmeof.api.HostIdentity}, the persisted host NQN and host ID;
 * and the one checked error family every operation fails with, rooted at {@link dev.nvmeof.api.NvmeException}:
 * <ul>
 * <li>{@link dev.nvmeof.api.NvmeStatusException}: the command completed with an error status; the connection is
 * fine;</li>
 * <li>{@link dev.nvmeof.api.NvmeTransportException}: the connection is dead;</li>
 * <li>{@link dev.nvmeof.api.NvmeTimeoutException}: a connect step or a command missed its deadline;</li>
 * <li>{@link dev.nvmeof.api.InvalidOptionException}: a bad or unsupported option; nothing was created.</li>
 * </ul>
 *
 * <p>Controller state changes and their causes: a {@link dev.nvmeof.api.ControllerListener} (added to the
 * {@link dev.nvmeof.api.NvmeHost}, or registered as an OSGi service) hears each {@link dev.nvmeof.api.ControllerEvent},
 * with a {@link dev.nvmeof.api.ControllerFailure} for error recovery and for giving up (since 1.2).
 *
 * <p>Every type here but {@link dev.nvmeof.api.ControllerListener} (which users implement, {@code @ConsumerType})
 * is implemented by the platform ({@code @ProviderType}): adding to it is a minor version.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.9.0")
package dev.nvmeof.api;
