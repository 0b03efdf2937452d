package dev.nvmeof.api;

/**
 * A controller's I/O queues by kind (Linux's {@code HCTX_TYPE_DEFAULT}, {@code _READ}, {@code _POLL}), numbered in
 * that order from QID 1.
 *
 * @param defaultQueues queues for writes and every other command, and for reads when there are no read queues
 *                      ({@code nr_write_queues} when it is given, else {@code nr_io_queues}, as far as granted)
 * @param readQueues    queues for reads only ({@code nr_io_queues} when {@code nr_write_queues} is given and enough
 *                      queues were granted for both; else 0)
 * @param pollQueues    queues for {@link IoRequest#polled(boolean) polled} requests ({@code nr_poll_queues}, from
 *                      what is left)
 * @since 1.1
 */
public record QueueCounts(int defaultQueues, int readQueues, int pollQueues) {
    /** No I/O queues (not connected, or a discovery controller). */
    public static final QueueCounts NONE = new QueueCounts(0, 0, 0);

    public QueueCounts {
        if (defaultQueues < 0 || readQueues < 0 || pollQueues < 0) {
            throw new IllegalArgumentException("negative queue count: " + defaultQueues + "/" + readQueues + "/"
                    + pollQueues);
        }
    }

    public int total() {
        return defaultQueues + readQueues + pollQueues;
    }

    /** {@code 2 default, 1 read, 1 poll}, as {@code nvme connect} users read it. */
    @Override
    public String toString() {
        return defaultQueues + " default, " + readQueues + " read, " + pollQueues + " poll";
    }
}
