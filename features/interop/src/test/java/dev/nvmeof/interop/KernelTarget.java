package dev.nvmeof.interop;

/** Shell commands (one line each, for {@link QemuGuest#exec}) that set up and take down the guest's nvmet target. */
public final class KernelTarget {
    private static final String NVMET = "/sys/kernel/config/nvmet";

    private KernelTarget() {
    }

    /**
     * Subsystem {@code nqn} allowing any host, namespace 1 on {@code device}, port 1 on tcp 0.0.0.0:4420 (created if
     * missing) with the subsystem linked to it.
     */
    public static String setUp(String nqn, String device) {
        String subsystem = NVMET + "/subsystems/" + nqn;
        String port = NVMET + "/ports/1";
        return "set -e; mkdir -p " + subsystem + "/namespaces/1 " + port
                + "; echo 1 > " + subsystem + "/attr_allow_any_host"
                + "; echo " + device + " > " + subsystem + "/namespaces/1/device_path"
                + "; echo 1 > " + subsystem + "/namespaces/1/enable"
                + "; if [ ! -e " + port + "/subsystems/" + nqn + " ]; then"
                + " echo tcp > " + port + "/addr_trtype; echo ipv4 > " + port + "/addr_adrfam"
                + "; echo 0.0.0.0 > " + port + "/addr_traddr; echo " + QemuGuest.NVME_TCP_PORT + " > " + port
                + "/addr_trsvcid; ln -s " + subsystem + " " + port + "/subsystems/" + nqn + "; fi";
    }

    /** Cuts the port without a restart (hosts see the connection go); {@link #linkPort} restores it. */
    public static String unlinkPort(String nqn) {
        return "rm " + NVMET + "/ports/1/subsystems/" + nqn;
    }

    public static String linkPort(String nqn) {
        return "ln -s " + NVMET + "/subsystems/" + nqn + " " + NVMET + "/ports/1/subsystems/" + nqn;
    }
}
