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

    /**
     * Makes {@code hostNqn} the only host {@code nqn} allows (nvmet's {@code hosts/} entry linked into
     * {@code allowed_hosts/}, {@code attr_allow_any_host} 0), with its DH-HMAC-CHAP settings: the host's secret
     * {@code dhchap_key}, the controller's {@code dhchap_ctrl_key} (null: none, unidirectional only), the hash
     * {@code dhchap_hash} ({@code hmac(sha256)}, ...) and the DH group {@code dhchap_dhgroup} ({@code null},
     * {@code ffdhe2048}, ...). The host entry is created anew.
     */
    public static String allowOnlyHostWithDhchap(String nqn, String hostNqn, String hostKey, String controllerKey,
            String hash, String dhGroup) {
        String host = NVMET + "/hosts/" + hostNqn;
        String subsystem = NVMET + "/subsystems/" + nqn;
        return "set -e; rm -f " + subsystem + "/allowed_hosts/*; [ ! -d " + host + " ] || rmdir " + host
                + "; mkdir " + host
                + "; echo '" + hostKey + "' > " + host + "/dhchap_key"
                + (controllerKey == null ? "" : "; echo '" + controllerKey + "' > " + host + "/dhchap_ctrl_key")
                + "; echo '" + hash + "' > " + host + "/dhchap_hash"
                + "; echo " + dhGroup + " > " + host + "/dhchap_dhgroup"
                + "; echo 0 > " + subsystem + "/attr_allow_any_host"
                + "; ln -s " + host + " " + subsystem + "/allowed_hosts/" + hostNqn;
    }

    /** Cuts the port without a restart (hosts see the connection go); {@link #linkPort} restores it. */
    public static String unlinkPort(String nqn) {
        return "rm " + NVMET + "/ports/1/subsystems/" + nqn;
    }

    public static String linkPort(String nqn) {
        return "ln -s " + NVMET + "/subsystems/" + nqn + " " + NVMET + "/ports/1/subsystems/" + nqn;
    }
}
