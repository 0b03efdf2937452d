/** The offload engine: rings, the event loop and the NVMe/TCP queue-pair state machine. Private. */
package dev.nvmeof.nic.emulated.internal;
