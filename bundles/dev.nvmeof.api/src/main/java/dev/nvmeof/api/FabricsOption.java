package dev.nvmeof.api;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Linux fabrics options by their kernel names, in the order of {@code opt_tokens} in
 * {@code drivers/nvme/host/fabrics.c}, with the kind of value each takes. Package-private: the public face is
 * {@link ConnectOptions#ALL} and the builder.
 */
enum FabricsOption {
    TRANSPORT("transport", Kind.STRING),
    TRADDR("traddr", Kind.STRING),
    TRSVCID("trsvcid", Kind.INT),
    NQN("nqn", Kind.STRING),
    QUEUE_SIZE("queue_size", Kind.INT),
    NR_IO_QUEUES("nr_io_queues", Kind.INT),
    RECONNECT_DELAY("reconnect_delay", Kind.INT),
    CTRL_LOSS_TMO("ctrl_loss_tmo", Kind.INT),
    KEEP_ALIVE_TMO("keep_alive_tmo", Kind.INT),
    HOSTNQN("hostnqn", Kind.STRING),
    HOST_TRADDR("host_traddr", Kind.STRING),
    HOST_IFACE("host_iface", Kind.STRING),
    HOSTID("hostid", Kind.UUID),
    DUPLICATE_CONNECT("duplicate_connect", Kind.FLAG),
    DISABLE_SQFLOW("disable_sqflow", Kind.FLAG),
    HDR_DIGEST("hdr_digest", Kind.FLAG),
    DATA_DIGEST("data_digest", Kind.FLAG),
    NR_WRITE_QUEUES("nr_write_queues", Kind.INT),
    NR_POLL_QUEUES("nr_poll_queues", Kind.INT),
    TOS("tos", Kind.INT),
    FAST_IO_FAIL_TMO("fast_io_fail_tmo", Kind.INT),
    DISCOVERY("discovery", Kind.FLAG),
    /** The host's DH-HMAC-CHAP secret, {@code DHHC-1:..}: a secret, never shown. */
    DHCHAP_SECRET("dhchap_secret", Kind.STRING, true),
    /** The controller's DH-HMAC-CHAP secret, asking for bidirectional authentication: a secret, never shown. */
    DHCHAP_CTRL_SECRET("dhchap_ctrl_secret", Kind.STRING, true),
    /** A TLS PSK keyring file (ours: a path; Linux: a kernel keyring's serial) to find the PSK for this subsystem in. */
    KEYRING("keyring", Kind.STRING),
    /** The configured TLS PSK, {@code NVMeTLSkey-1:..} (Linux: a key's serial): a secret, never shown; implies tls. */
    TLS_KEY("tls_key", Kind.STRING, true),
    /** NVMe/TCP over TLS 1.3 with a PSK (TP 8011). */
    TLS("tls", Kind.FLAG),
    /** Ours, not Linux's: the software transport a {@code tcp_offload} controller continues on when no device claims. */
    OFFLOAD_FALLBACK("offload_fallback", Kind.STRING);

    /** What a value is: a flag has no value in the kernel syntax; its presence sets it. */
    enum Kind { STRING, INT, UUID, FLAG }

    /** NVMe Base 2.0, 4.5 "NVMe Qualified Names": at most 223 bytes of UTF-8. */
    static final int NQN_MAX_BYTES = 223;

    /** The form Linux's {@code uuid_parse} accepts: 8-4-4-4-12 hex digits, nothing else. */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final Map<String, FabricsOption> BY_KEY = new HashMap<>();

    static {
        for (FabricsOption option : values()) {
            BY_KEY.put(option.key, option);
        }
    }

    /** What {@link ConnectOptions#toString()} and every error message show instead of a secret's value. */
    static final String HIDDEN = "<hidden>";

    final String key;
    final Kind kind;
    /** Whether the value is key material: shown nowhere but {@link ConnectOptions#toFabricsString()}. */
    final boolean secret;

    FabricsOption(String key, Kind kind) {
        this(key, kind, false);
    }

    FabricsOption(String key, Kind kind, boolean secret) {
        this.key = key;
        this.kind = kind;
        this.secret = secret;
    }

    /** @return the option of that kernel name, or null */
    static FabricsOption of(String key) {
        return BY_KEY.get(key);
    }

    /** Parses a UUID in the strict kernel form ({@link UUID#fromString} also takes "1-2-3-4-5"). */
    static UUID parseUuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        return UUID.fromString(text);
    }

    /** @return why {@code nqn} is not an NQN we can send, or null when it is fine */
    static String nqnProblem(String nqn) {
        int bytes = nqn.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return "must not be empty";
        }
        if (bytes > NQN_MAX_BYTES) {
            return "is " + bytes + " bytes, an NQN has at most " + NQN_MAX_BYTES;
        }
        return null;
    }
}
