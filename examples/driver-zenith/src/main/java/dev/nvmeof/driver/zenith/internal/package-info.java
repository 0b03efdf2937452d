/**
 * The Zenith driver, an example of what a vendor writes for an offload NIC: a DS probe over NIC function services
 * ({@link dev.nvmeof.driver.zenith.internal.ZenithDriverComponent}), one {@code OffloadDriver} per device
 * ({@link dev.nvmeof.driver.zenith.internal.ZenithDriver}), its controllers
 * ({@link dev.nvmeof.driver.zenith.internal.ZenithController}) and hardware queues
 * ({@link dev.nvmeof.driver.zenith.internal.ZenithQueue}). Written against the offload SPI and the emulated NIC's
 * interfaces alone. Private: a driver exports nothing, it registers services.
 */
package dev.nvmeof.driver.zenith.internal;
