/**
 * The NVMe command set as the host and target use it over fabrics (NVM Express Base 2.0, NVM Command Set 1.0,
 * NVMe over Fabrics 1.1): submission and completion queue entries as flyweights over little-endian buffers, status
 * codes, SGL descriptors, Fabrics, admin and NVM commands, controller properties, and the Identify and log page
 * structures. Plain Java; nothing here allocates on the I/O path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package dev.nvmeof.protocol;
