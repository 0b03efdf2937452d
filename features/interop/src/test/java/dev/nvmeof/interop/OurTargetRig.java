package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.target.SubsystemConfig;
import dev.nvmeof.target.TargetOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Our embedded target on 127.0.0.1 (two ephemeral listeners) and a guest whose kernel host reaches them at
 * {@value QemuGuest#HOST_ALIAS}:4420 and :8009. The guest-side commands (nvme-cli, dd, cmp) the kernel-host interop
 * tests share live here too.
 */
final class OurTargetRig implements AutoCloseable {
    static final Duration SHORT = Duration.ofSeconds(30);
    static final Duration DATA = Duration.ofSeconds(90);
    /** The pattern: 4 MiB of /dev/urandom generated in the guest. */
    static final int PATTERN_BYTES = 4 << 20;
    /** Bounded waits on the target: this many short round trips to the guest (each about 0.2 s). */
    private static final int WAIT_ROUNDS = 75;

    final NvmeTarget target;
    final InetSocketAddress nvmeAddress;
    final InetSocketAddress discoveryAddress;
    QemuGuest guest;

    private OurTargetRig(NvmeTarget target, InetSocketAddress nvmeAddress, InetSocketAddress discoveryAddress) {
        this.target = target;
        this.nvmeAddress = nvmeAddress;
        this.discoveryAddress = discoveryAddress;
    }

    /** Starts the target with these subsystems, then boots a guest forwarding 4420 and 8009 to it. */
    static OurTargetRig start(String name, int cpus, SubsystemConfig... subsystems) throws IOException {
        return start(name, cpus, QemuGuest.DEFAULT_KERNEL, subsystems);
    }

    /** {@link #start(String, int, SubsystemConfig...)} with a guest of another kernel series. */
    static OurTargetRig start(String name, int cpus, String kernelSeries, SubsystemConfig... subsystems)
            throws IOException {
        NvmeTarget target = NvmeTarget.start(TargetOptions.defaults().withEventLoops(2));
        OurTargetRig rig;
        try {
            for (SubsystemConfig subsystem : subsystems) {
                target.addSubsystem(subsystem);
            }
            InetSocketAddress nvme = target.listen(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress discovery = target.listen(new InetSocketAddress("127.0.0.1", 0));
            rig = new OurTargetRig(target, nvme, discovery);
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
        try {
            rig.guest = QemuGuest.builder().name(name).cpus(cpus).kernel(kernelSeries)
                    .kernelHost(rig.nvmeAddress.getPort())
                    .forwardToHost(QemuGuest.DISCOVERY_PORT, rig.discoveryAddress.getPort())
                    .start();
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    /** {@code nvme connect} to {@value QemuGuest#HOST_ALIAS}:4420 with extra nvme-cli options. */
    QemuGuest.ExecResult connect(String nqn, String options) {
        return guest.exec("nvme connect -t tcp -a " + QemuGuest.HOST_ALIAS + " -s " + QemuGuest.NVME_TCP_PORT
                + " -n " + nqn + " " + options, SHORT);
    }

    /** Waits (bounded, in the guest) for the one namespace block device to appear and returns its path. */
    String awaitNamespaceDevice() {
        String found = guest.execOk("n=0; while ! ls /dev/nvme*n1 >/dev/null 2>&1 && [ $n -lt 150 ]; do sleep 0.1;"
                + " n=$((n + 1)); done; ls /dev/nvme*n1", SHORT).trim();
        if (found.contains("\n")) {
            throw new AssertionError("more than one namespace device: " + found);
        }
        return found;
    }

    /** The controller's sysfs name (nvme0, ...) of the connection to {@code nqn}. */
    String controllerOf(String nqn) {
        return guest.execOk("for c in /sys/class/nvme/nvme*; do [ \"$(cat $c/subsysnqn)\" = " + nqn
                + " ] && basename $c; done", SHORT).trim();
    }

    /**
     * Writes a 4 MiB random pattern made in the guest with O_DIRECT to {@code device} (then fsync: a Flush, since
     * our target reports a volatile write cache), reads it back with O_DIRECT and compares: returns the output of {@code cmp} (empty when identical) and fails on any command error.
     */
    void writeAndReadBackPattern(String device) {
        guest.execOk("head -c " + PATTERN_BYTES + " /dev/urandom > /tmp/p && rm -f /tmp/r", SHORT);
        guest.execOk("dd if=/tmp/p of=" + device + " bs=1M count=4 oflag=direct conv=fsync 2>&1", DATA);
        guest.execOk("dd if=" + device + " of=/tmp/r bs=1M count=4 iflag=direct 2>&1", DATA);
        QemuGuest.ExecResult cmp = guest.exec("cmp /tmp/p /tmp/r && echo IDENTICAL", SHORT);
        assertEquals(new QemuGuest.ExecResult(0, "IDENTICAL\n"), cmp, "the pattern read back through our target");
    }

    /** {@code nvme disconnect -n NQN}, then a bounded wait until our target has no controller left. */
    void disconnectAndAwaitNoController(String nqn) {
        String out = guest.execOk("nvme disconnect -n " + nqn, SHORT);
        assertEquals(true, out.contains("disconnected 1 controller"), out);
        awaitTarget("controllers", target::controllerCount, 0);
    }

    /** Waits, in short round trips to the guest, until {@code value} reads {@code expected}; asserts it does. */
    void awaitTarget(String what, IntSupplier value, int expected) {
        for (int round = 0; round < WAIT_ROUNDS && value.getAsInt() != expected; round++) {
            guest.exec("sleep 0.2", SHORT);
        }
        assertEquals(expected, value.getAsInt(), "our target's " + what);
    }

    String dmesg() {
        return guest.execOk("dmesg", SHORT);
    }

    /** Best-effort clean-up between tests: no controller in the guest, none in our target. */
    void disconnectAll() {
        if (guest != null) {
            guest.exec("nvme disconnect-all", SHORT);
            for (int round = 0; round < WAIT_ROUNDS && target.controllerCount() != 0; round++) {
                guest.exec("sleep 0.2", SHORT);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (guest != null) {
                guest.close();
            }
        } finally {
            target.close();
        }
    }
}
