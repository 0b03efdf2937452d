package dev.nvmeof.driver.zenith.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueParameters;

/**
 * A controller's state on a Zenith device (Linux {@code setup_ctrl} .. {@code release_ctrl}): the port whose route
 * reaches the target, and the queues opened for it. {@link #createQueue} is where the card connects: a queue pair does
 * the TCP connect and ICReq/ICResp from the port's address, and the call waits for it (bounded by the connect timeout),
 * as Linux's {@code create_queue} does.
 */
final class ZenithController implements OffloadController {
    /** Beyond the connect timeout, for the engine to report the outcome. */
    private static final long CREATE_SLACK_MILLIS = 2_000;

    private final ZenithDriver driver;
    private final NicFunction nic;
    private final String port;
    private final InetSocketAddress target;
    private final List<ZenithQueue> open = new ArrayList<>();

    ZenithController(ZenithDriver driver, NicFunction nic, String port, InetSocketAddress target) {
        this.driver = driver;
        this.nic = nic;
        this.port = port;
        this.target = target;
    }

    @Override
    public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle) throws NvmeException {
        int qid = parameters.qid();
        if (qid > 0) {
            driver.takeVector(qid);
        }
        ZenithQueue queue = new ZenithQueue(driver.deviceName(), qid, parameters.queueSize(), handle,
                () -> released(qid));
        QueuePairOptions options = new QueuePairOptions(qid, parameters.queueSize(), parameters.headerDigest(),
                parameters.dataDigest(), parameters.inCapsuleLimit(), parameters.connectTimeout(), -1);
        QueuePair queuePair;
        try {
            queuePair = nic.createQueuePair(port, target, options, queue)
                    .get(parameters.connectTimeout().toMillis() + CREATE_SLACK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedToConnect(qid, e);
        } catch (ExecutionException e) {
            throw failedToConnect(qid, e.getCause());
        } catch (TimeoutException e) {
            throw failedToConnect(qid, e);
        }
        driver.queueOpened();
        queue.attach(queuePair);
        synchronized (this) {
            open.add(queue);
        }
        return queue;
    }

    private NvmeException failedToConnect(int qid, Throwable cause) {
        if (qid > 0) {
            driver.releaseVector();
        }
        return NvmeTransportException.unreachable(target.getAddress().getHostAddress() + ":" + target.getPort(),
                new IOException(driver.deviceName() + " queue " + qid + ": " + cause, cause));
    }

    /** A queue was destroyed: its vector and its count go back to the device. */
    private void released(int qid) {
        if (qid > 0) {
            driver.releaseVector();
        }
        driver.queueClosed();
    }

    /** {@code release_ctrl}: drains and destroys every queue the ULP left open (each only once). */
    @Override
    public void close() {
        List<ZenithQueue> all;
        synchronized (this) {
            all = new ArrayList<>(open);
            open.clear();
        }
        for (ZenithQueue queue : all) {
            queue.drainQueue();
            queue.destroyQueue();
        }
    }
}
