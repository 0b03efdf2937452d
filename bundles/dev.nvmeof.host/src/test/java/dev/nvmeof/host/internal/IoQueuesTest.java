package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.IoRequest.Operation;
import dev.nvmeof.api.QueueCounts;

/** Queue counts and routing as Linux's nvmf_nr_io_queues, nvmf_set_io_queues and nvmf_map_queues have them. */
class IoQueuesTest {

    private static ConnectOptions options(int io, int write, int poll) {
        ConnectOptions.Builder builder = ConnectOptions.builder().transport("tcp").traddr("127.0.0.1").nqn("testnqn")
                .nrIoQueues(io);
        if (write > 0) {
            builder.nrWriteQueues(write);
        }
        if (poll > 0) {
            builder.nrPollQueues(poll);
        }
        return HostFixture.build(builder);
    }

    @Test
    void shouldAskForTheSumOfEveryKindCappedByTheTransport() {
        assertEquals(4, IoQueues.asked(options(4, 0, 0), 8));
        assertEquals(5, IoQueues.asked(options(2, 2, 1), 8));
        assertEquals(4, IoQueues.asked(options(2, 2, 1), 4), "capped by the vectors");
        assertEquals(0xFFFF, IoQueues.asked(options(Integer.MAX_VALUE, Integer.MAX_VALUE, 1), Integer.MAX_VALUE),
                "no overflow, and no more than Number of Queues can carry");
    }

    @Test
    void shouldShareDefaultQueuesForReadsAndWritesWithoutWriteQueues() {
        assertEquals(new QueueCounts(4, 0, 0), IoQueues.split(4, 0, 0, 64));
        assertEquals(new QueueCounts(3, 0, 0), IoQueues.split(4, 0, 0, 3));
        assertEquals(QueueCounts.NONE, IoQueues.split(4, 0, 0, 0));
    }

    @Test
    void shouldMakeNrIoQueuesReadQueuesAndNrWriteQueuesDefaultOnesWhenBothFit() {
        assertEquals(new QueueCounts(2, 2, 1), IoQueues.split(2, 2, 1, 5));
        assertEquals(new QueueCounts(3, 1, 0), IoQueues.split(1, 3, 0, 64));
    }

    @Test
    void shouldSplitAGrantBelowTheSumAsLinuxDoes() {
        // Read queues first, then as many default queues as are left, then poll queues.
        assertEquals(new QueueCounts(2, 2, 0), IoQueues.split(2, 2, 1, 4));
        assertEquals(new QueueCounts(1, 2, 0), IoQueues.split(2, 2, 1, 3));
        // No more than nr_io_queues granted: no dedicated read queues, all shared.
        assertEquals(new QueueCounts(2, 0, 0), IoQueues.split(2, 2, 1, 2));
        assertEquals(new QueueCounts(1, 0, 0), IoQueues.split(2, 2, 1, 1));
        // Poll queues only from what is left.
        assertEquals(new QueueCounts(3, 0, 1), IoQueues.split(3, 0, 2, 4));
        assertEquals(new QueueCounts(4, 0, 0), IoQueues.split(6, 0, 2, 4));
        assertEquals(new QueueCounts(2, 0, 1), IoQueues.split(2, 0, 1, 3));
    }

    @Test
    void shouldRouteReadsToReadQueuesWritesToDefaultQueuesAndPolledRequestsToPollQueues() {
        QueueCounts counts = new QueueCounts(2, 2, 1); // QIDs 1-2 default, 3-4 read, 5 poll
        assertEquals(1, IoQueues.index(counts, Operation.WRITE, false, 5));
        assertEquals(0, IoQueues.index(counts, Operation.FLUSH, false, 4));
        assertEquals(3, IoQueues.index(counts, Operation.READ, false, 5));
        assertEquals(2, IoQueues.index(counts, Operation.READ, false, 4));
        assertEquals(4, IoQueues.index(counts, Operation.READ, true, 5));
        assertEquals(4, IoQueues.index(counts, Operation.WRITE, true, 6));
        assertEquals(4, IoQueues.pollIndex(counts, 7));
    }

    @Test
    void shouldSendReadsAndPolledRequestsToDefaultQueuesWhenThereAreNoOthers() {
        QueueCounts counts = new QueueCounts(3, 0, 0);
        assertEquals(2, IoQueues.index(counts, Operation.READ, false, 5));
        assertEquals(2, IoQueues.index(counts, Operation.READ, true, 5));
        assertEquals(1, IoQueues.index(counts, Operation.WRITE, true, 7));
    }

    @Test
    void shouldKeepEveryThreadIdInRange() {
        QueueCounts counts = new QueueCounts(3, 2, 2);
        assertEquals(2, IoQueues.index(counts, Operation.WRITE, false, -1));
        assertEquals(4, IoQueues.index(counts, Operation.READ, false, Long.MIN_VALUE + 1));
        assertEquals(5, IoQueues.pollIndex(counts, Long.MAX_VALUE - 1));
    }
}
