package dev.nvmeof.testkit.driver;

import java.util.List;

import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.QueuePair;

/** {@link DeviceHooks} over an emulated {@link NicFunction}'s {@link dev.nvmeof.nic.emulated.NicFaults}. */
public final class EmulatedNicHooks implements DeviceHooks {
    private final NicFunction nic;
    private final String port;

    /** @param port the port whose route reaches the target, e.g. {@code p1p1} */
    public EmulatedNicHooks(NicFunction nic, String port) {
        this.nic = nic;
        this.port = port;
    }

    @Override
    public void stall(int qid, boolean stalled) {
        if (stalled) {
            nic.faults().stall(live(qid), true);
            return;
        }
        for (QueuePair qp : nic.queuePairs()) {
            if (qp.qid() == qid) {
                nic.faults().stall(qp, false);
            }
        }
    }

    @Override
    public void linkDown() {
        nic.faults().linkDown(port);
    }

    @Override
    public void linkUp() {
        nic.faults().linkUp(port);
    }

    @Override
    public void resetConnection(int qid) {
        nic.faults().resetConnection(live(qid));
    }

    /** Two round trips through the engine: what it was doing when called has finished. */
    @Override
    public void settle() {
        nic.queuePairs();
        nic.queuePairs();
    }

    private QueuePair live(int qid) {
        List<QueuePair> live = nic.queuePairs().stream().filter(qp -> qp.qid() == qid && qp.live()).toList();
        if (live.isEmpty()) {
            throw new IllegalStateException("no live queue pair " + qid + " on NIC " + nic.capabilities().serial());
        }
        return live.get(live.size() - 1);
    }
}
