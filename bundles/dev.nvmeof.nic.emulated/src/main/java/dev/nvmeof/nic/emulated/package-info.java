/**
 * The emulated offload NIC: the hardware offload drivers program. A {@link dev.nvmeof.nic.emulated.NicFunction} (vendor
 * id, device id, serial, {@link dev.nvmeof.nic.emulated.NicCapabilities}) has a paired
 * {@link dev.nvmeof.nic.emulated.NetDevice} whose ports carry addresses set like {@code ip addr add 127.0.0.2/24 dev
 * p1p1} and answer {@link dev.nvmeof.nic.emulated.NetDevice#route route lookups}, and an offload engine that owns the
 * connections (kernel TCP sockets bound to the port's address, on the NIC's own thread) and runs NVMe/TCP over them
 * behind {@link dev.nvmeof.nic.emulated.QueuePair}s: a submission ring with a doorbell, a completion ring with an
 * interrupt-style notification or polling, data moved straight into and out of host buffers, digests computed by the
 * engine, {@link dev.nvmeof.nic.emulated.NicCounters counters} and {@link dev.nvmeof.nic.emulated.NicFaults faults}.
 * The NIC knows neither the ULP nor the host; it depends only on {@code dev.nvmeof.protocol}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package dev.nvmeof.nic.emulated;
