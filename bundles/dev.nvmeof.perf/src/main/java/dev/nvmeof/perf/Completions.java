package dev.nvmeof.perf;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a job handles the measured run's completions and issues its next I/O. The ramp, the prefill and the
 * read-back of a verifying run always use {@link #THREAD}.
 */
public enum Completions {
    /**
     * In the completion callback, on the thread that delivers it (a {@code tcp} queue's event loop, an offload
     * device's interrupt thread): the I/O is recorded and its slot's next one issued right there, and the queue's
     * reader sends all it issued while reading in one write. SPDK perf's model, and the batched ceiling's (one thread
     * reads the answers and sends the next requests). The default.
     */
    INLINE("inline"),
    /**
     * On the job's own thread, as fio does: a completion marks its slot and wakes the thread if it sleeps; the
     * thread reaps and issues what it reaped as one batch. One thread hand-off per batch more than {@link #INLINE}.
     */
    THREAD("thread");

    private final String optionName;

    Completions(String optionName) {
        this.optionName = optionName;
    }

    /** The option's name ({@code inline}, {@code thread}). */
    public String optionName() {
        return optionName;
    }

    /** By its option name; refused with the names it takes. */
    public static Completions of(String name) {
        for (Completions c : values()) {
            if (c.optionName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("completions '" + name + "' is not one of "
                + Arrays.stream(values()).map(Completions::optionName).collect(Collectors.joining(", ")));
    }
}
