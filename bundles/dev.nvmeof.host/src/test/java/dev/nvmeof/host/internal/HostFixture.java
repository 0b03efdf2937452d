package dev.nvmeof.host.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.HostIdentity;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.testkit.ManualClock;

/**
 * A host on a manual clock with a {@link FakeTransport} over a {@link FakeTarget} (2048 blocks of 512 bytes); no
 * worker threads: tests drive the work loop with {@link #advance(Duration)}.
 */
final class HostFixture {
    final ManualClock clock = new ManualClock();
    final FakeTarget target = new FakeTarget(2048, 512);
    final FakeTransport transport = new FakeTransport(target);
    final HostIdentity identity = HostIdentity.generate();
    final HostSettings settings = new HostSettings(clock, Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100), clock::advance,
            Duration.ofMillis(1));
    final DefaultNvmeHost host = new DefaultNvmeHost(identity, settings, false);
    HostController controller;

    HostFixture() {
        host.addTransport(transport);
    }

    ConnectOptions.Builder options() {
        return ConnectOptions.builder().transport("fake").traddr("127.0.0.1").nqn("testnqn").nrIoQueues(2);
    }

    HostController connect(ConnectOptions options) throws NvmeException {
        controller = (HostController) host.connect(options);
        return controller;
    }

    HostController connect() throws NvmeException {
        return connect(build(options()));
    }

    static ConnectOptions build(ConnectOptions.Builder builder) {
        try {
            return builder.build();
        } catch (NvmeException e) {
            throw new AssertionError(e);
        }
    }

    HostBlockDevice device() {
        return (HostBlockDevice) controller.namespaces().get(0).device();
    }

    /** Moves the clock on and runs one turn of the controller's work loop. */
    int advance(Duration by) {
        clock.advance(by);
        return controller.doWork(clock.nanoTime());
    }

    /** A request whose callback counts its completions. */
    static final class Counted {
        final IoRequest request = new IoRequest();
        final AtomicInteger completions = new AtomicInteger();

        Counted() {
            request.callback(r -> completions.incrementAndGet());
        }
    }
}
