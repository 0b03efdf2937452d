/**
 * The NVMe/TCP transport binding (NVM Express TCP Transport Specification 1.0): PDU layouts as flyweights, the
 * incremental {@link dev.nvmeof.protocol.tcp.PduDecoder}, the {@link dev.nvmeof.protocol.tcp.PduEncoder} and CRC32C
 * header and data digests. Plain Java; decoding and encoding allocate nothing per PDU.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package dev.nvmeof.protocol.tcp;
