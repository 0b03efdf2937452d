package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.NicCounters;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters of one NIC function; written on its engine thread, read from anywhere. */
final class EngineCounters {
    final AtomicLong pdusIn = new AtomicLong();
    final AtomicLong pdusOut = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong digestErrors = new AtomicLong();
    final AtomicLong connectionsReset = new AtomicLong();
    final AtomicLong completionsDropped = new AtomicLong();
    final AtomicLong doorbellWakeups = new AtomicLong();
    final AtomicLong notifications = new AtomicLong();

    NicCounters snapshot() {
        return new NicCounters(pdusIn.get(), pdusOut.get(), bytesIn.get(), bytesOut.get(), digestErrors.get(),
                connectionsReset.get(), completionsDropped.get(), doorbellWakeups.get(), notifications.get());
    }
}
