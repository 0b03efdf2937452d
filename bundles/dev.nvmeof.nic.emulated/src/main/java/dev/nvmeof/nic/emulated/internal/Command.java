package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.DataDirection;
import dev.nvmeof.nic.emulated.SubmissionSlot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The engine's state of one CID in flight, with preallocated PDU header storage and the buffer views its PDUs are
 * sent from. Views are made once and reused: the header views for as long as the command slot lives, the data views
 * for as long as the host keeps handing the same buffer (a caller that reuses its buffer costs no allocation).
 * Engine thread only.
 */
final class Command {
    final ByteBuffer headers = ByteBuffer.allocateDirect(512).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer data;
    DataDirection direction = DataDirection.NONE;
    int length;
    boolean inCapsule;
    boolean busy;
    /** The whole CID (tag and generation) of the command in flight. */
    int cid;
    /** A data PDU of this read failed its data digest: it completes with Data Transfer Error. */
    boolean dataError;

    private ByteBuffer dataSource;
    private int dataSourcePosition = -1;
    private ByteBuffer[] headerViews = new ByteBuffer[4];
    private int headerViewsUsed;
    private ByteBuffer[] dataViews = new ByteBuffer[2];
    private int dataViewsUsed;

    /** Reads the slot (the "DMA descriptor") once: the host buffer's bytes [position, position + length). */
    Command start(SubmissionSlot slot) {
        busy = true;
        direction = slot.direction();
        length = slot.length();
        ByteBuffer b = slot.dataBuffer();
        if (b == null) {
            data = null;
        } else if (b != dataSource || b.position() != dataSourcePosition || data == null
                || data.capacity() != length) {
            dataSource = b;
            dataSourcePosition = b.position();
            data = b.slice(b.position(), length).order(ByteOrder.LITTLE_ENDIAN);
            java.util.Arrays.fill(dataViews, null);
        }
        inCapsule = false;
        return this;
    }

    /** Header storage is reused from its start: the views of the PDUs it held are free again. */
    void clearHeaders() {
        headers.clear();
        headerViewsUsed = 0;
        dataViewsUsed = 0;
    }

    /** A view of header storage [start, start + length), valid until {@link #clearHeaders}. */
    ByteBuffer headerView(int start, int length) {
        if (headerViewsUsed == headerViews.length) {
            headerViews = java.util.Arrays.copyOf(headerViews, headerViews.length * 2);
        }
        ByteBuffer view = headerViews[headerViewsUsed];
        if (view == null) {
            view = headers.duplicate();
            headerViews[headerViewsUsed] = view;
        }
        headerViewsUsed++;
        view.clear().position(start).limit(start + length);
        return view;
    }

    /** A view of the data [offset, offset + length), valid until {@link #clearHeaders}. */
    ByteBuffer dataView(int offset, int length) {
        if (dataViewsUsed == dataViews.length) {
            dataViews = java.util.Arrays.copyOf(dataViews, dataViews.length * 2);
        }
        ByteBuffer view = dataViews[dataViewsUsed];
        if (view == null) {
            view = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            dataViews[dataViewsUsed] = view;
        }
        dataViewsUsed++;
        view.clear().position(offset).limit(offset + length);
        return view;
    }

    void reset() {
        busy = false;
        dataError = false;
        direction = DataDirection.NONE;
    }
}
