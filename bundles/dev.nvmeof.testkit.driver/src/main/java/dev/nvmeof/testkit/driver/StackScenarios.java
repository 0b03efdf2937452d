package dev.nvmeof.testkit.driver;

import static dev.nvmeof.testkit.driver.Checks.bounded;
import static dev.nvmeof.testkit.driver.Checks.check;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.host.EmbeddedNvmeHost;
import dev.nvmeof.offload.OffloadStack;
import dev.nvmeof.spi.offload.OffloadDriver;

/** The scenarios about the whole path: the public offload stack with the driver, an embedded host, our target. */
final class StackScenarios {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Enough for one refused reconnect and the next after reconnect_delay=1, well within ctrl_loss_tmo. */
    private static final String OPTIONS = ",nr_io_queues=2,reconnect_delay=1,ctrl_loss_tmo=30";

    private StackScenarios() {
    }

    static void survivesWithdrawalMidIo(Environment environment) throws Exception {
        OffloadDriver driver = environment.driver();
        try (OffloadStack stack = new OffloadStack();
                EmbeddedNvmeHost host = EmbeddedNvmeHost.start(environment.stateDirectory(), stack.transport())) {
            stack.addDriver(driver);
            BlockDevice device = connect(host, environment);
            VerifiedWorkload workload = VerifiedWorkload.on(device, VerifiedWorkload.Settings.defaults()
                    .withRegion(0, 512, 8).withWriters(4, 4)
                    .withBounds(3_000, Duration.ofSeconds(30), Duration.ofSeconds(45)));
            var running = workload.start();
            try {
                workload.whenAcknowledged(300).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                workload.stop();
                throw new AssertionError("only " + workload.acknowledged() + " writes acknowledged within "
                        + WAIT.toSeconds() + " s before the withdrawal");
            }
            bounded("OffloadStack.removeDriver with I/O in flight (it drains and destroys the device's queues)",
                    WAIT, () -> stack.removeDriver(driver));
            stack.addDriver(driver); // the device comes back, as its bundle restarting registers it again

            VerifiedWorkload.Result result;
            try {
                result = running.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                workload.stop();
                throw new AssertionError("the workload did not end within 60 s of the withdrawal ("
                        + workload.acknowledged() + " writes acknowledged)");
            }
            if (!result.hung().isEmpty()) {
                throw new AssertionError(result.hung().size() + " writes hung after the withdrawal, the first: "
                        + result.hung().get(0));
            }
            check(result.failed() == 0, result.failed() + " of " + result.issued() + " writes failed although the"
                    + " device came back within ctrl_loss_tmo; the first: " + result.firstFailure().orElse("?"));
            verify(workload);
        }
    }

    static void readsBackWhatWasAcknowledged(Environment environment) throws Exception {
        try (OffloadStack stack = new OffloadStack();
                EmbeddedNvmeHost host = EmbeddedNvmeHost.start(environment.stateDirectory(), stack.transport())) {
            stack.addDriver(environment.driver());
            BlockDevice device = connect(host, environment);
            // Small writes from many threads, then writes as large as one command may be, on another region.
            run(VerifiedWorkload.on(device, VerifiedWorkload.Settings.defaults().withRegion(0, 1024, 8)
                    .withWriters(4, 8).withBounds(4_000, Duration.ofSeconds(30), Duration.ofSeconds(30))));
            int large = device.maxTransferSize() / device.blockSize();
            long second = 1024 * 8;
            int chunks = (int) Math.min(64, (device.sizeBytes() / device.blockSize() - second) / large);
            run(VerifiedWorkload.on(device, VerifiedWorkload.Settings.defaults().withRegion(second, chunks, large)
                    .withWriters(2, Math.max(1, chunks / 4)).withBounds(4L * chunks, Duration.ofSeconds(30),
                            Duration.ofSeconds(30))));
        }
    }

    private static BlockDevice connect(EmbeddedNvmeHost host, Environment environment) throws Exception {
        NvmeController controller = host.connect(environment.target().options(OPTIONS));
        check(!controller.namespaces().isEmpty(), "the controller shows no namespace");
        return controller.namespaces().get(0).device();
    }

    private static void run(VerifiedWorkload workload) throws Exception {
        VerifiedWorkload.Result result = workload.start().get(90, TimeUnit.SECONDS);
        check(result.allDone(), "writes not done: " + result);
        check(result.failed() == 0, result.failed() + " writes failed; the first: " + result.firstFailure()
                .orElse("?"));
        verify(workload);
    }

    private static void verify(VerifiedWorkload workload) throws Exception {
        VerifiedWorkload.Verification verification = workload.verify(WAIT);
        check(verification.chunksChecked() > 0, "nothing was written");
        check(verification.firstMismatch().isEmpty(), verification.mismatches() + " of "
                + verification.chunksChecked() + " written chunks read back wrong; the first: "
                + verification.firstMismatch().orElse(""));
    }
}
