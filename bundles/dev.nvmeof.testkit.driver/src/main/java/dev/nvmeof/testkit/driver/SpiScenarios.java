package dev.nvmeof.testkit.driver;

import static dev.nvmeof.testkit.driver.Checks.bounded;
import static dev.nvmeof.testkit.driver.Checks.check;
import static dev.nvmeof.testkit.driver.Checks.equal;
import static dev.nvmeof.testkit.driver.QueueRig.WAIT;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.transport.TransportRequest;

/** The scenarios about the SPI itself: the suite plays the ULP with recording queue handles. */
final class SpiScenarios {
    /** claimDev and declineReason "must return quickly". */
    private static final Duration CLAIM_BOUND = Duration.ofSeconds(1);
    /** All of a stalled queue's sends together. */
    private static final Duration SEND_BOUND = Duration.ofSeconds(2);
    /** How long the suite looks for a late completion once the device was fenced. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int IO = 4096;

    private SpiScenarios() {
    }

    // ---- claim-follows-route ----

    static void claimsWhatItRoutes(Environment environment) throws Exception {
        OffloadDriver driver = environment.driver();
        ConnectRequest request = QueueRig.request(environment.target().address());
        Optional<OffloadClaim> first = bounded("claimDev", CLAIM_BOUND, () -> driver.claimDev(request));
        if (first.isEmpty()) {
            throw new AssertionError("no claim for " + environment.target().address() + ", which its port routes"
                    + " to: " + driver.declineReason(request));
        }
        OffloadClaim claim = first.get();
        check(claim.localAddress() != null, "the claim states no local address");
        int maxPrefix = claim.localAddress() instanceof Inet4Address ? 32 : 128;
        check(claim.routePrefixLength() <= maxPrefix, "route prefix /" + claim.routePrefixLength());
        check(claim.linkSpeedBitsPerSecond() > 0, "the claim states no link speed");
        check(claim.freeHardwareVectors() <= driver.limits().hardwareVectors(), "the claim states "
                + claim.freeHardwareVectors() + " free vectors of " + driver.limits().hardwareVectors());
        check(request.requested().containsAll(claim.honouredOptions()), "the claim honours options nobody asked"
                + " for: " + claim.honouredOptions() + " of " + request.requested());
        equal(first, bounded("claimDev", CLAIM_BOUND, () -> driver.claimDev(request)),
                "a second claim (claimDev must not change device state)");
        try (QueueRig rig = QueueRig.open(environment)) {
            check(environment.target().connectionSources().contains(claim.localAddress()), "the target sees"
                    + " connections from " + environment.target().connectionSources() + ", not from the claimed"
                    + " local address " + claim.localAddress().getHostAddress());
        }
    }

    static void declinesWhatItCannotRoute(Environment environment) throws Exception {
        OffloadDriver driver = environment.driver();
        ConnectRequest request = QueueRig.request(environment.unroutedTarget());
        Optional<OffloadClaim> claim = bounded("claimDev", CLAIM_BOUND, () -> driver.claimDev(request));
        check(claim.isEmpty(), "claimed " + environment.unroutedTarget() + ", which no port routes to: "
                + claim.orElse(null));
        assertReason(driver, request);
    }

    static void declinesWhileTheLinkIsDown(Environment environment) throws Exception {
        OffloadDriver driver = environment.driver();
        ConnectRequest request = QueueRig.request(environment.target().address());
        environment.hooks().linkDown();
        try {
            Optional<OffloadClaim> claim = bounded("claimDev", CLAIM_BOUND, () -> driver.claimDev(request));
            check(claim.isEmpty(), "claimed " + environment.target().address() + " while the link of its only"
                    + " route is down: " + claim.orElse(null));
            assertReason(driver, request);
        } finally {
            environment.hooks().linkUp();
        }
        if (bounded("claimDev", CLAIM_BOUND, () -> driver.claimDev(request)).isEmpty()) {
            throw new AssertionError("no claim once the link is up again: " + driver.declineReason(request));
        }
    }

    private static void assertReason(OffloadDriver driver, ConnectRequest request) throws Exception {
        String reason = bounded("declineReason", CLAIM_BOUND, () -> driver.declineReason(request));
        check(reason != null && !reason.isBlank(), "declined without a reason (declineReason: " + reason + ")");
    }

    // ---- completion-exactly-once ----

    static void completesEachRequestExactlyOnce(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = rig.io(1, 64);
            int n = io.size();
            ByteBuffer buffers = ByteBuffer.allocateDirect(n * IO);
            TransportRequest[] requests = new TransportRequest[n];
            for (int i = 0; i < n; i++) {
                requests[i] = new TransportRequest();
            }
            for (int round = 1; round <= 2; round++) { // the second round reuses every request, as the ULP does
                for (int i = 0; i < n; i++) {
                    ByteBuffer data = buffers.slice(i * IO, IO);
                    if (i % 2 == 0) {
                        QueueRig.write(requests[i], CommandIds.of(i, round), data, i * 8L);
                    } else {
                        QueueRig.read(requests[i], CommandIds.of(i, round), data, i * 8L);
                    }
                }
                int before = io.handle().size();
                List<CompletableFuture<Void>> senders = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int from = t * n / 4;
                    int to = (t + 1) * n / 4;
                    senders.add(CompletableFuture.runAsync(() -> {
                        for (int i = from; i < to; i++) {
                            io.queue().sendReq(requests[i]);
                        }
                    }));
                }
                bounded("sendReq from 4 threads", WAIT, () -> CompletableFuture.allOf(senders.toArray(
                        new CompletableFuture<?>[0])).join());
                check(io.handle().await(before + n, WAIT), "round " + round + ": only " + (io.handle().size()
                        - before) + " of " + n + " requests completed within " + WAIT.toSeconds() + " s");
                environment.hooks().settle();
                rig.adminRoundTrip();
                environment.hooks().settle();
                List<Object> events = io.handle().events().subList(before, io.handle().size());
                Map<TransportRequest, Integer> times = new java.util.IdentityHashMap<>();
                for (Object event : events) {
                    check(event instanceof TransportRequest, "round " + round + ": an error was reported: " + event);
                    times.merge((TransportRequest) event, 1, Integer::sum);
                }
                for (int i = 0; i < n; i++) {
                    equal(1, times.getOrDefault(requests[i], 0), "round " + round + ": how often request CID 0x"
                            + Integer.toHexString(requests[i].sqe().cid()) + " completed");
                    equal(0, requests[i].status(), "round " + round + ": status of CID 0x"
                            + Integer.toHexString(requests[i].sqe().cid()));
                }
                equal(n, events.size(), "round " + round + ": completions (for requests never sent, too)");
            }
        }
    }

    // ---- sendreq-never-blocks ----

    static void sendsWithoutBlockingWhileStalled(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = rig.io(1, 32);
            int n = io.size();
            ByteBuffer buffers = ByteBuffer.allocateDirect(n * IO);
            List<TransportRequest> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(QueueRig.read(CommandIds.of(i, 1), buffers.slice(i * IO, IO), i * 8L));
            }
            int before = io.handle().size();
            AtomicInteger returned = new AtomicInteger();
            environment.hooks().stall(1, true);
            try {
                bounded("sendReq on a stalled device", SEND_BOUND, () -> {
                    for (TransportRequest request : requests) {
                        io.queue().sendReq(request);
                        returned.incrementAndGet();
                    }
                });
            } catch (AssertionError blocked) {
                throw new AssertionError("sendReq blocked while the device was stalled: " + returned.get() + " of "
                        + n + " calls returned within " + SEND_BOUND.toMillis() + " ms");
            } finally {
                environment.hooks().stall(1, false);
            }
            check(io.handle().await(before + n, WAIT), "after the stall only " + (io.handle().size() - before)
                    + " of " + n + " requests completed");
        }
    }

    // ---- drain-quiesces ----

    static void deliversNothingOnceDrained(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = rig.io(1, 64);
            int chunk = Math.min(64 << 10, blocksOf(environment.driver().limits().maxIoSize()));
            int reads = 32;
            byte canary = (byte) 0xA5;
            ByteBuffer buffers = ByteBuffer.allocateDirect(reads * chunk);
            for (int i = 0; i < buffers.capacity(); i++) {
                buffers.put(i, canary);
            }
            int before = io.handle().size();
            List<TransportRequest> all = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                all.add(QueueRig.read(CommandIds.of(i, 1), buffers.slice(i * chunk, chunk),
                        (long) i * chunk / ConformanceTarget.BLOCK_SIZE));
            }
            // A quarter flows, then the device is held with the rest handed to it: on the device, not done, when
            // the drain comes. They come out afterwards only if the drain did not stop the device.
            bounded("sendReq", WAIT, () -> all.subList(0, reads / 4).forEach(io.queue()::sendReq));
            check(io.handle().await(before + 1, WAIT), "no read completed before the drain");
            environment.hooks().stall(1, true);
            bounded("sendReq", WAIT, () -> all.subList(reads / 4, reads).forEach(io.queue()::sendReq));
            bounded("drainQueue", WAIT, io.queue()::drainQueue);
            List<Object> atDrain = io.handle().events();
            byte[] bytesAtDrain = bytes(buffers);
            environment.hooks().stall(1, false);

            TransportRequest late = QueueRig.read(CommandIds.of(reads, 1), buffers.slice(0, chunk), 0);
            bounded("sendReq after drainQueue", WAIT, () -> io.queue().sendReq(late));
            bounded("pollQueue after drainQueue", WAIT, io.queue()::pollQueue);
            environment.hooks().settle();
            rig.adminRoundTrip();
            environment.hooks().settle();
            io.handle().await(atDrain.size() + 1, QUIET);

            List<Object> after = io.handle().events();
            if (after.size() != atDrain.size()) {
                throw new AssertionError((after.size() - atDrain.size()) + " completions or errors arrived after"
                        + " drainQueue returned (" + atDrain.size() + " before), the first: "
                        + describe(after.get(atDrain.size())));
            }
            byte[] bytesAfter = bytes(buffers);
            int written = 0;
            int first = -1;
            for (int i = 0; i < bytesAfter.length; i++) {
                if (bytesAfter[i] != bytesAtDrain[i]) {
                    written++;
                    first = first < 0 ? i : first;
                }
            }
            check(written == 0, written + " bytes of request buffers were written after drainQueue returned (the"
                    + " first at offset " + first + ")");
        }
    }

    private static String describe(Object event) {
        return event instanceof TransportRequest request ? "the completion of CID 0x"
                + Integer.toHexString(request.sqe().cid()) : "the error " + event;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.capacity()];
        buffer.get(0, copy);
        return copy;
    }

    private static int blocksOf(int bytes) {
        return bytes / ConformanceTarget.BLOCK_SIZE * ConformanceTarget.BLOCK_SIZE;
    }

    // ---- limits-honoured ----

    static void carriesTransfersOfMaxIoSize(Environment environment) throws Exception {
        int size = blocksOf(Math.min(environment.driver().limits().maxIoSize(), ConformanceTarget.MAX_TRANSFER_SIZE));
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = rig.io(1, 16);
            byte[] pattern = new byte[size];
            new Random(size).nextBytes(pattern);
            ByteBuffer out = ByteBuffer.allocateDirect(size).put(0, pattern);
            equal(0, QueueRig.run(io.queue(), io.handle(), QueueRig.write(1, out, 0)).status(),
                    "status of a write of maxIoSize (" + size + " bytes)");
            ByteBuffer in = ByteBuffer.allocateDirect(size);
            equal(0, QueueRig.run(io.queue(), io.handle(), QueueRig.read(2, in, 0)).status(),
                    "status of a read of maxIoSize (" + size + " bytes)");
            byte[] back = new byte[size];
            in.get(0, back);
            for (int i = 0; i < size; i++) {
                if (back[i] != pattern[i]) {
                    throw new AssertionError("a read of maxIoSize (" + size + " bytes) returned other data than"
                            + " written, first at byte " + i);
                }
            }
        }
    }

    static void carriesAsManyRequestsAsTheQueueIsDeep(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = rig.io(1, 128);
            int n = io.size();
            ByteBuffer buffers = ByteBuffer.allocateDirect(n * IO);
            int before = io.handle().size();
            List<TransportRequest> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(QueueRig.read(CommandIds.of(i, 1), buffers.slice(i * IO, IO), i * 8L));
            }
            bounded("sendReq", WAIT, () -> requests.forEach(io.queue()::sendReq));
            check(io.handle().await(before + n, WAIT), "with " + n + " requests outstanding on a queue of " + n
                    + " entries, " + (io.handle().size() - before) + " completed within " + WAIT.toSeconds() + " s");
            for (TransportRequest request : requests) {
                equal(0, request.status(), "status of CID 0x" + Integer.toHexString(request.sqe().cid()));
            }
            check(io.handle().errors().isEmpty(), "errors: " + io.handle().errors());
        }
    }

    static void carriesItsHardwareVectorsAndCountsThemTruthfully(Environment environment) throws Exception {
        OffloadDriver driver = environment.driver();
        int vectors = driver.limits().hardwareVectors();
        ConnectRequest request = QueueRig.request(environment.target().address());
        int freeBefore = driver.claimDev(request).orElseThrow(() -> new AssertionError("no claim")).freeHardwareVectors();
        try (QueueRig rig = QueueRig.open(environment)) {
            for (int qid = 1; qid <= vectors; qid++) {
                rig.io(qid, 16);
            }
            int free = driver.claimDev(request).orElseThrow(() -> new AssertionError("no claim with " + vectors
                    + " I/O queues open")).freeHardwareVectors();
            check(free <= freeBefore - vectors, "with all " + vectors + " hardware vectors taken by I/O queues the"
                    + " claim states " + free + " free (" + freeBefore + " before)");
        }
        int freeAfter = driver.claimDev(request).orElseThrow(() -> new AssertionError("no claim")).freeHardwareVectors();
        equal(freeBefore, freeAfter, "free hardware vectors once the controller was released (they come back)");
    }

    // ---- error-reported-once ----

    static void reportsALinkDownOnceWithItsCause(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = inFlightOnAStalledQueue(rig, environment);
            environment.hooks().linkDown();
            try {
                assertFailedOnce(io, environment, "link down");
                check(rig.adminHandle.errors().size() <= 1, "the admin queue reported "
                        + rig.adminHandle.errors().size() + " errors");
            } finally {
                environment.hooks().linkUp();
                environment.hooks().stall(1, false);
            }
        }
    }

    static void reportsAResetOnceWithItsCause(Environment environment) throws Exception {
        try (QueueRig rig = QueueRig.open(environment)) {
            QueueRig.Io io = inFlightOnAStalledQueue(rig, environment);
            try {
                environment.hooks().resetConnection(1);
                assertFailedOnce(io, environment, "connection reset");
            } finally {
                environment.hooks().stall(1, false);
            }
            rig.adminRoundTrip();
            equal(List.of(), rig.adminHandle.errors(), "errors on the admin queue, whose connection is fine");
        }
    }

    /** Eight reads held on a stalled I/O queue: outstanding when the fault hits, none completing meanwhile. */
    private static QueueRig.Io inFlightOnAStalledQueue(QueueRig rig, Environment environment) throws Exception {
        QueueRig.Io io = rig.io(1, 32);
        environment.hooks().stall(1, true);
        ByteBuffer buffers = ByteBuffer.allocateDirect(8 * IO);
        for (int i = 0; i < 8; i++) {
            TransportRequest read = QueueRig.read(CommandIds.of(i, 1), buffers.slice(i * IO, IO), i * 8L);
            bounded("sendReq", WAIT, () -> io.queue().sendReq(read));
        }
        return io;
    }

    private static void assertFailedOnce(QueueRig.Io io, Environment environment, String fault) throws Exception {
        check(io.handle().awaitError(WAIT), "no error reported within " + WAIT.toSeconds() + " s of a " + fault);
        int atError = io.handle().events().indexOf(io.handle().errors().get(0));
        TransportRequest late = QueueRig.read(CommandIds.of(20, 1), ByteBuffer.allocateDirect(IO), 0);
        bounded("sendReq after the error", WAIT, () -> io.queue().sendReq(late));
        environment.hooks().settle();
        io.handle().await(io.handle().size() + 1, QUIET);
        bounded("drainQueue after the error", WAIT, io.queue()::drainQueue);
        environment.hooks().settle();
        List<RecordingHandle.Reported> errors = io.handle().errors();
        equal(1, errors.size(), "errors reported for one " + fault);
        check(errors.get(0).cause() != null, "the " + fault + " was reported with a null cause");
        List<Object> after = io.handle().events().subList(atError + 1, io.handle().size());
        if (!after.isEmpty()) {
            throw new AssertionError(after.size() + " completions or errors came after the queue reported its error,"
                    + " the first: " + describe(after.get(0)));
        }
        bounded("destroyQueue", WAIT, io.queue()::destroyQueue);
    }
}
