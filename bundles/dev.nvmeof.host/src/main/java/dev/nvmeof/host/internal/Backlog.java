package dev.nvmeof.host.internal;

import java.util.Arrays;

/**
 * Requests waiting for a free tag of a {@link HostQueue}, first in, first out: a ring of (owner, namespace,
 * submitter) that doubles when callers submit more than it holds, so no request is ever refused for a full queue.
 * It never shrinks: once grown to what callers keep in flight, adding and taking allocate nothing, and its memory is
 * bounded by what they submitted. Not thread-safe: the queue's monitor guards it.
 */
final class Backlog {
    private Object[] owners;
    private HostNamespace[] namespaces;
    private long[] submitters;
    private int head;
    private int count;

    Backlog(int initialCapacity) {
        owners = new Object[initialCapacity];
        namespaces = new HostNamespace[initialCapacity];
        submitters = new long[initialCapacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    void add(Object owner, HostNamespace namespace, long submitter) {
        if (count == owners.length) {
            grow();
        }
        int index = (head + count++) % owners.length;
        owners[index] = owner;
        namespaces[index] = namespace;
        submitters[index] = submitter;
    }

    /** The oldest request's parts; valid until {@link #remove}. */
    Object headOwner() {
        return owners[head];
    }

    HostNamespace headNamespace() {
        return namespaces[head];
    }

    long headSubmitter() {
        return submitters[head];
    }

    /** Drops the oldest request (its parts were read first). */
    void remove() {
        owners[head] = null;
        namespaces[head] = null;
        head = (head + 1) % owners.length;
        count--;
    }

    private void grow() {
        int capacity = owners.length * 2;
        Object[] o = new Object[capacity];
        HostNamespace[] n = new HostNamespace[capacity];
        long[] s = new long[capacity];
        for (int i = 0; i < count; i++) {
            int from = (head + i) % owners.length;
            o[i] = owners[from];
            n[i] = namespaces[from];
            s[i] = submitters[from];
        }
        Arrays.fill(owners, null);
        owners = o;
        namespaces = n;
        submitters = s;
        head = 0;
    }
}
