package dev.nvmeof.protocol.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * The send side of a {@link HostQueueEngine}: the PDUs waiting for the wire in their {@link OutputRing}, written as
 * {@code [header][caller's data][data digest]} from up to {@link HostQueueEngine#MAX_PDUS_PER_WRITE} PDUs per
 * gathering write, a PDU retired once fully written and an H2CData transfer queued again for its next PDU. When the
 * channel takes less than offered it asks the transport for writability ({@code writeInterest}) and waits for
 * {@link #write} to be called again. Not thread-safe: the engine calls it holding its monitor. Allocates nothing.
 *
 * @param <R> what the transport calls a command
 */
final class HostOutput<R> {
    private final HostSlot<R>[] slots;
    private final HostQueueEngine.Events<R> events;
    private final OutputRing ring;
    private final ByteBuffer[] iov = new ByteBuffer[HostQueueEngine.MAX_PDUS_PER_WRITE * 3];
    /** One control PDU at a time: the ICReq, later a TermReq. */
    private final ByteBuffer control = ByteBuffer.allocateDirect(TermReqPdu.MAX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private GatheringByteChannel channel;
    /** The channel when it may hold bytes back (TLS), else null. */
    private BufferedOutput buffered;
    private boolean blocked;
    private long bytesWritten;
    private long pdusWritten;

    HostOutput(HostSlot<R>[] slots, HostQueueEngine.Events<R> events) {
        this.slots = slots;
        this.events = events;
        this.ring = new OutputRing(slots.length);
    }

    void start(GatheringByteChannel channel) {
        this.channel = channel;
        buffered = channel instanceof BufferedOutput ? (BufferedOutput) channel : null;
    }

    boolean started() {
        return channel != null;
    }

    /** The control buffer, cleared, to encode a control PDU into; then queue it or write it now. */
    ByteBuffer control() {
        return control.clear();
    }

    /** Queues the control PDU just encoded. */
    void queueControl() {
        control.flip();
        ring.push(0, OutputRing.CONTROL);
    }

    /** Writes the control PDU just encoded at once, best effort (a TermReq: the connection closes right after). */
    void writeControlNow() {
        control.flip();
        try {
            channel.write(control);
        } catch (IOException | RuntimeException e) {
            // going away anyway
        }
    }

    /** Queues a command's capsule ({@link OutputRing#COMMAND}) or its H2CData's next PDU ({@link OutputRing#H2C}). */
    void queue(int tag, int kind) {
        ring.push(tag, kind);
    }

    boolean pending() {
        return ring.size() > 0;
    }

    /** The channel took less than offered: nothing more is written before the transport says it takes data again. */
    boolean blocked() {
        return blocked;
    }

    /** Nothing more will be written (the engine closed): the transport need not watch for writability any longer. */
    void unblock() {
        if (blocked) {
            blocked = false;
            events.writeInterest(false);
        }
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long pdusWritten() {
        return pdusWritten;
    }

    /** Writes what the ring holds until it is empty or the channel is full. */
    void write(PduEncoder encoder, int maxH2cData) throws IOException {
        if (buffered != null && !buffered.flushOutput()) {
            blockedOnSocket();
            return;
        }
        while (ring.size() > 0) {
            int n = 0;
            int pdus = Math.min(ring.size(), HostQueueEngine.MAX_PDUS_PER_WRITE); // at most 3 buffers each
            for (int i = 0; i < pdus; i++) {
                int entry = ring.get(i);
                if (OutputRing.kind(entry) == OutputRing.CONTROL) {
                    iov[n++] = control;
                    continue;
                }
                HostSlot<R> slot = slots[OutputRing.tag(entry)];
                if (!slot.encoded) {
                    slot.encodeH2c(encoder, maxH2cData);
                }
                iov[n++] = slot.header;
                if (slot.dataInPdu) {
                    iov[n++] = slot.writeView;
                }
                if (slot.digest.hasRemaining()) { // no data digest: no empty buffer for the kernel to walk
                    iov[n++] = slot.digest;
                }
            }
            long offered = 0;
            for (int i = 0; i < n; i++) {
                offered += iov[i].remaining();
            }
            long written = channel.write(iov, 0, n);
            bytesWritten += written;
            retire();
            if (written < offered) { // the channel is full: the rest waits for writability
                blockedOnSocket();
                return;
            }
        }
        if (buffered != null && buffered.outputPending()) { // all taken, not all sent
            blockedOnSocket();
            return;
        }
        unblock();
    }

    private void blockedOnSocket() {
        if (!blocked) {
            blocked = true;
            events.writeInterest(true);
        }
    }

    /** Drops fully written PDUs; an H2CData transfer with more to send goes to the back for its next PDU. */
    private void retire() {
        while (ring.size() > 0) {
            int entry = ring.get(0);
            if (OutputRing.kind(entry) == OutputRing.CONTROL) {
                if (control.hasRemaining()) {
                    return;
                }
                ring.pop();
                pdusWritten++;
                continue;
            }
            HostSlot<R> slot = slots[OutputRing.tag(entry)];
            if (!slot.encoded || !slot.pduWritten()) {
                return;
            }
            slot.encoded = false;
            ring.pop();
            pdusWritten++;
            if (OutputRing.kind(entry) == OutputRing.H2C && slot.h2cRemaining > 0) {
                ring.push(slot.tag, OutputRing.H2C);
            } else {
                slot.h2cActive = false;
                slot.queued = false;
            }
        }
    }

    /** Whether a PDU is partly on the wire (nothing may be written before its end). */
    boolean headStarted() {
        if (ring.size() == 0) {
            return false;
        }
        int entry = ring.get(0);
        if (OutputRing.kind(entry) == OutputRing.CONTROL) {
            return control.position() > 0 && control.hasRemaining();
        }
        HostSlot<R> slot = slots[OutputRing.tag(entry)];
        return slot.encoded && slot.header.position() > 0;
    }

    /** Removes the slot's entry from the ring; false when its PDU is already partly on the wire. */
    boolean dequeue(HostSlot<R> slot) {
        for (int i = 0; i < ring.size(); i++) {
            int entry = ring.get(i);
            if (OutputRing.kind(entry) != OutputRing.CONTROL && OutputRing.tag(entry) == slot.tag) {
                if (i == 0 && headStarted()) {
                    return false;
                }
                ring.removeAt(i);
                break;
            }
        }
        slot.encoded = false;
        slot.h2cActive = false;
        slot.queued = false;
        return true;
    }

    /** Forgets everything queued and every buffer it referred to. */
    void clear() {
        ring.clear();
        Arrays.fill(iov, null);
    }
}
