package dev.nvmeof.host.internal;

import java.util.Arrays;

import dev.nvmeof.api.IoRequest;

/**
 * Requests waiting for a free tag of a {@link HostQueue}, first in, first out: a ring of (owner, caller's
 * request, submitter) that doubles when callers submit more than it holds, so no request is ever refused for a full queue.
 * It never shrinks: once grown to what callers keep in flight, adding and taking allocate nothing, and its memory is
 * bounded by what they submitted. Not thread-safe: the queue's monitor guards it.
 */
final class Backlog {
    private RequestOwner[] owners;
    /** The caller's request beside its owner; null for a {@link Command}. */
    private IoRequest[] requests;
    private long[] submitters;
    private int head;
    private int count;

    Backlog(int initialCapacity) {
        owners = new RequestOwner[initialCapacity];
        requests = new IoRequest[initialCapacity];
        submitters = new long[initialCapacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    void add(RequestOwner owner, IoRequest request, long submitter) {
        if (count == owners.length) {
            grow();
        }
        int index = (head + count++) % owners.length;
        owners[index] = owner;
        requests[index] = request;
        submitters[index] = submitter;
    }

    /** The oldest request's parts; valid until {@link #remove}. */
    RequestOwner headOwner() {
        return owners[head];
    }

    IoRequest headRequest() {
        return requests[head];
    }

    long headSubmitter() {
        return submitters[head];
    }

    /** Drops the oldest request (its parts were read first). */
    void remove() {
        owners[head] = null;
        requests[head] = null;
        head = (head + 1) % owners.length;
        count--;
    }

    private void grow() {
        int capacity = owners.length * 2;
        RequestOwner[] o = new RequestOwner[capacity];
        IoRequest[] r = new IoRequest[capacity];
        long[] s = new long[capacity];
        for (int i = 0; i < count; i++) {
            int from = (head + i) % owners.length;
            o[i] = owners[from];
            r[i] = requests[from];
            s[i] = submitters[from];
        }
        Arrays.fill(owners, null);
        owners = o;
        requests = r;
        submitters = s;
        head = 0;
    }
}
