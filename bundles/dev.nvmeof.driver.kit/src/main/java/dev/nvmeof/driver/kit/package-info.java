/**
 * The driver kit for the emulated offload NIC: what every vendor driver of that hardware shares, as a vendor's
 * common HAL would. A {@link dev.nvmeof.driver.kit.NicOffloadDriver} is the {@code OffloadDriver} of one
 * {@link dev.nvmeof.nic.emulated.NicFunction}: it claims connections its net device routes (stating the route's
 * facts), creates one hardware queue pair per queue (I/O queues bounded by the hardware vectors), and moves requests
 * through the rings without allocating. A {@link dev.nvmeof.driver.kit.VendorProfile} sets one vendor apart (its
 * PCI ids and the optional fabrics options it honours); {@link dev.nvmeof.driver.kit.DriverRegistrations} registers
 * one driver service per probed function, as a vendor bundle's component does.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.nvmeof.driver.kit;
