/** The Vortex driver's component: a PCI-style probe over NIC function services and the kit's driver. Private. */
package dev.nvmeof.driver.vortex.internal;
