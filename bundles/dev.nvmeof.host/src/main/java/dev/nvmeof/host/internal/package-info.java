/**
 * The host core's private building blocks: the controller state machine, per-queue tags and command timers,
 * keep-alive and the reconnect policy. All of them are plain Java, driven by an injected
 * {@link dev.nvmeof.protocol.NanoClock} and a {@code now} passed in by the owning work loop, so they can be tested
 * without sockets, threads or sleeping. Not exported: the API and SPI packages are the only seams.
 */
package dev.nvmeof.host.internal;
