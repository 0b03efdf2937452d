/**
 * The host core (the Linux {@code nvme-core} and {@code nvme-fabrics} of this stack), plain Java; the DS components
 * wiring it into OSGi are in {@code dev.nvmeof.host.internal.ds}.
 *
 * <ul>
 *   <li>{@link dev.nvmeof.host.internal.DefaultNvmeHost}: transports by name, controllers {@code nvme0, nvme1, ...},
 *       duplicate connects refused.</li>
 *   <li>{@link dev.nvmeof.host.internal.HostController}: one controller, its state machine
 *       ({@link dev.nvmeof.host.internal.ControllerStateMachine}) and its parts, all timed in one
 *       {@code doWork(now)} duty cycle driven by a {@code ControllerWorker} thread or a test:
 *       {@code ControllerAssociation} (the attempt running, {@code ConnectSequence}: admin Connect through namespace
 *       scan; the association in use), {@code RequestRouter} (I/O to its queue, held while not LIVE),
 *       {@code KeepAliveSender} (over {@link dev.nvmeof.host.internal.KeepAlive}), {@code Recovery} (teardown,
 *       requeue, reconnect by {@link dev.nvmeof.host.internal.ReconnectPolicy}, fast fail, give up, disconnect),
 *       {@code AsyncEvents} (the Asynchronous Event Request kept outstanding) and {@code NamespaceSet} (the rescan
 *       a namespace notice or a reconnect starts, {@code NamespaceScan}, announced to a
 *       {@link dev.nvmeof.host.internal.HostListener}).</li>
 *   <li>{@code HostQueue}: per queue {@link dev.nvmeof.host.internal.TagSet}, preallocated transport requests,
 *       {@link dev.nvmeof.host.internal.RequestTimer} and a growing FIFO backlog; each request's owner a sealed
 *       {@code RequestOwner} (a namespace's {@code NamespaceIo}, or a core {@code Command}); {@code HostBlockDevice}
 *       over each {@code HostNamespace}, validating and splitting ({@code SplitIo}).</li>
 *   <li>{@code Discovery}: the Discovery Log Page read from a discovery controller, and the connect options of its
 *       entries ({@code nvme discover}, {@code nvme connect-all}).</li>
 * </ul>
 *
 * Every deadline is kept on an injected {@link dev.nvmeof.protocol.NanoClock}, so tests run on a manual clock
 * without sockets or sleeping. Not exported: the API and SPI packages are the only seams.
 */
package dev.nvmeof.host.internal;
