package dev.nvmeof.testkit.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the conformance suite needs from the hardware under a driver to provoke what the rules are about. The kit
 * holds one controller at a time on the device, so a queue id names one hardware queue (the newest with that id).
 * {@link EmulatedNicHooks} implements it for the emulated NIC; a vendor with real hardware implements it with its
 * card's fault injection.
 */
@ConsumerType
public interface DeviceHooks {

    /**
     * Holds ({@code true}) or releases the hardware queue carrying {@code qid}: while held the device consumes no
     * submission and delivers no completion. Releasing a queue that is gone does nothing.
     */
    void stall(int qid, boolean stalled);

    /** Takes the link of the device's port to the target down: its queues fail and it routes nothing. */
    void linkDown();

    /** Brings that link up again. */
    void linkUp();

    /** Resets the connection of the hardware queue carrying {@code qid} (a TCP RST from the peer). */
    void resetConnection(int qid);

    /**
     * Returns once the device has finished what it was doing when called (for the emulated NIC: turns of its engine):
     * a fence the kit uses instead of sleeping before it checks that nothing more happened.
     */
    void settle();
}
