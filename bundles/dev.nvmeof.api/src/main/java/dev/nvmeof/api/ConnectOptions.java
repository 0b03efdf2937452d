package dev.nvmeof.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The options of one controller connection: the Linux NVMe-over-Fabrics options, by their kernel names, with the
 * kernel's defaults and validation ({@code nvmf_parse_options} in {@code drivers/nvme/host/fabrics.c}) except where
 * ARCHITECTURE.md writes a reason down. Immutable.
 *
 * <p>Three ways in: {@link #parse(String)} of the {@code /dev/nvme-fabrics} syntax
 * ({@code transport=tcp,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn,hdr_digest,nr_io_queues=4}),
 * {@link #parse(Map)} of configuration properties with the same names, and the {@link Builder}. All three refuse a
 * bad option with an {@link InvalidOptionException} naming it. {@link #toFabricsString()} gives the options back in
 * the kernel syntax: {@code parse(o.toFabricsString()).equals(o)}; {@link #toString()} is the same with the values
 * of {@code dhchap_secret}, {@code dhchap_ctrl_secret} and {@code tls_key} hidden, and no error message ever shows them.
 *
 * <table>
 * <caption>defaults (seconds for every {@code _tmo} and {@code _delay})</caption>
 * <tr><th>option</th><th>when not given</th></tr>
 * <tr><td>{@code trsvcid}</td><td>4420; 8009 for a discovery controller</td></tr>
 * <tr><td>{@code nr_io_queues}</td><td>the CPU count; 0 for discovery (an explicit value is honoured, not capped at
 * the CPU count as Linux does: ARCHITECTURE.md)</td></tr>
 * <tr><td>{@code nr_write_queues}, {@code nr_poll_queues}</td><td>0: none</td></tr>
 * <tr><td>{@code queue_size}</td><td>128 (16 to 1024 when given)</td></tr>
 * <tr><td>{@code keep_alive_tmo}</td><td>5; 0 (none) for discovery</td></tr>
 * <tr><td>{@code reconnect_delay}, {@code ctrl_loss_tmo}</td><td>10, 600 ({@value #FOREVER}: forever)</td></tr>
 * <tr><td>{@code fast_io_fail_tmo}</td><td>{@value #OFF}: off</td></tr>
 * <tr><td>{@code tos}</td><td>-1: the transport's default</td></tr>
 * <tr><td>{@code hostnqn}, {@code hostid}</td><td>null: the host core supplies its persisted
 * {@link HostIdentity} ({@link #withDefaultHost})</td></tr>
 * <tr><td>flags</td><td>off; {@code duplicate_connect} is on for discovery</td></tr>
 * </table>
 *
 * <p>Where Linux accepts a value but warns ({@code pr_warn}), so do these options: the value is normalised and the
 * warning is in {@link #warnings()}: {@code tos} above 255 is clamped to 255, a negative {@code ctrl_loss_tmo} or
 * {@code fast_io_fail_tmo} is -1, queue counts are ignored for discovery, and a {@code fast_io_fail_tmo} longer
 * than {@code ctrl_loss_tmo} is ignored (it could never fire first). {@link #given()} is what the user gave, which
 * is what {@link OptionPolicy} checks against a transport.
 */
@ProviderType
public final class ConnectOptions {

    /** The well-known discovery subsystem NQN (NVMe Base 2.0, 4.5). */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    public static final int DEFAULT_PORT = 4420;
    public static final int DEFAULT_DISCOVERY_PORT = 8009;
    public static final int MIN_QUEUE_SIZE = 16;
    public static final int MAX_QUEUE_SIZE = 1024;
    public static final int DEFAULT_QUEUE_SIZE = 128;
    public static final int DEFAULT_KEEP_ALIVE_TMO = 5;
    public static final int DEFAULT_RECONNECT_DELAY = 10;
    public static final int DEFAULT_CTRL_LOSS_TMO = 600;
    /** {@code ctrl_loss_tmo}: reconnect forever. */
    public static final int FOREVER = -1;
    /** The value of {@code offload_fallback}: continue over the software {@code tcp} transport. */
    public static final String FALLBACK_TCP = "tcp";
    /** {@code fast_io_fail_tmo}: off; {@code tos}: the transport's default. */
    public static final int OFF = -1;

    /** Every option name this host knows, in the order of Linux's {@code opt_tokens}. */
    public static final Set<String> ALL;

    static {
        Set<String> all = new LinkedHashSet<>();
        for (FabricsOption option : FabricsOption.values()) {
            all.add(option.key);
        }
        ALL = Collections.unmodifiableSet(all);
    }

    /** What the user gave, validated and normalised; every accessor derives its value from it. */
    private final Map<FabricsOption, Object> given;
    private final List<String> warnings;
    private final boolean discovery;
    /** Fills in hostnqn and hostid when not given; null until {@link #withDefaultHost}. */
    private final HostIdentity defaultHost;
    /** The CPU count when these options were made: the CPUs a container sees may change later. */
    private final int cpus;

    ConnectOptions(EnumMap<FabricsOption, Object> given, List<String> warnings) {
        this(given, warnings, null);
    }

    private ConnectOptions(EnumMap<FabricsOption, Object> given, List<String> warnings, HostIdentity defaultHost) {
        this.given = Collections.unmodifiableMap(new EnumMap<>(given));
        this.warnings = List.copyOf(warnings);
        this.discovery = OptionValidation.isDiscovery(given);
        this.defaultHost = defaultHost;
        this.cpus = Runtime.getRuntime().availableProcessors();
    }

    /** Parses the kernel's {@code /dev/nvme-fabrics} syntax: comma separated, {@code name=value} or a flag. */
    public static ConnectOptions parse(String fabricsOptions) throws InvalidOptionException {
        return FabricsOptionParser.parse(fabricsOptions);
    }

    /**
     * Parses configuration properties (e.g. a ConfigAdmin configuration) keyed by the kernel names. Values are
     * strings (as in the kernel syntax), integral numbers, booleans (flags; false is as if absent) or, for
     * {@code hostid}, a {@link UUID}. Keys with a dot ({@code service.pid}, {@code component.name}, ...) are
     * configuration metadata and are skipped; a null value is as if absent.
     */
    public static ConnectOptions parse(Map<String, ?> properties) throws InvalidOptionException {
        return FabricsOptionParser.parse(properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding what was given here, to change some options and build again. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.values.putAll(given);
        return builder;
    }

    /**
     * These options with {@code identity} filling in {@code hostnqn} and {@code hostid} where they were not given,
     * as Linux uses its default host. They do not count as given: {@link #toFabricsString()} leaves them out.
     */
    public ConnectOptions withDefaultHost(HostIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        EnumMap<FabricsOption, Object> copy = new EnumMap<>(FabricsOption.class);
        copy.putAll(given);
        return new ConnectOptions(copy, warnings, identity);
    }

    // ---- the options ----

    public String transport() {
        return (String) given.get(FabricsOption.TRANSPORT);
    }

    public String traddr() {
        return (String) given.get(FabricsOption.TRADDR);
    }

    public int trsvcid() {
        return intOr(FabricsOption.TRSVCID, discovery ? DEFAULT_DISCOVERY_PORT : DEFAULT_PORT);
    }

    /** The subsystem NQN. */
    public String nqn() {
        return (String) given.get(FabricsOption.NQN);
    }

    /** The host NQN given, or the default host's, or null when neither is known yet. */
    public String hostnqn() {
        String nqn = (String) given.get(FabricsOption.HOSTNQN);
        return nqn != null || defaultHost == null ? nqn : defaultHost.hostnqn();
    }

    /** The host ID given, or the default host's, or null when neither is known yet. */
    public UUID hostid() {
        UUID id = (UUID) given.get(FabricsOption.HOSTID);
        return id != null || defaultHost == null ? id : defaultHost.hostid();
    }

    /** The local address to connect from, or null: the stack chooses. */
    public String hostTraddr() {
        return (String) given.get(FabricsOption.HOST_TRADDR);
    }

    /** The local interface to connect through, or null: the stack chooses. */
    public String hostIface() {
        return (String) given.get(FabricsOption.HOST_IFACE);
    }

    /** I/O queues asked for (read queues when {@link #nrWriteQueues()} is set); 0 for discovery. */
    public int nrIoQueues() {
        return discovery ? 0 : intOr(FabricsOption.NR_IO_QUEUES, cpus);
    }

    /** Dedicated write queues, 0 for none. */
    public int nrWriteQueues() {
        return intOr(FabricsOption.NR_WRITE_QUEUES, 0);
    }

    /** Dedicated polled queues, 0 for none. */
    public int nrPollQueues() {
        return intOr(FabricsOption.NR_POLL_QUEUES, 0);
    }

    /** Entries per I/O queue asked for; the host clamps it to the controller's MQES+1 and MAXCMD. */
    public int queueSize() {
        return intOr(FabricsOption.QUEUE_SIZE, DEFAULT_QUEUE_SIZE);
    }

    /** Keep Alive Timeout in seconds, 0 for none; the host sends Keep Alive at half of it. */
    public int keepAliveTmo() {
        return intOr(FabricsOption.KEEP_ALIVE_TMO, discovery ? 0 : DEFAULT_KEEP_ALIVE_TMO);
    }

    /** Seconds between reconnect attempts, at least 1. */
    public int reconnectDelay() {
        return intOr(FabricsOption.RECONNECT_DELAY, DEFAULT_RECONNECT_DELAY);
    }

    /** Seconds from a connection loss until the controller is given up, or {@link #FOREVER}. */
    public int ctrlLossTmo() {
        return intOr(FabricsOption.CTRL_LOSS_TMO, DEFAULT_CTRL_LOSS_TMO);
    }

    /** Seconds from a connection loss until queued I/O fails with Host Pathing Error, or {@link #OFF}. */
    public int fastIoFailTmo() {
        return intOr(FabricsOption.FAST_IO_FAIL_TMO, OFF);
    }

    public boolean hdrDigest() {
        return given.containsKey(FabricsOption.HDR_DIGEST);
    }

    public boolean dataDigest() {
        return given.containsKey(FabricsOption.DATA_DIGEST);
    }

    /** IP type of service, 0 to 255, or {@link #OFF} for the transport's default. */
    public int tos() {
        return intOr(FabricsOption.TOS, OFF);
    }

    /** Whether a second controller to the same subsystem, address and host is allowed; always for discovery. */
    public boolean duplicateConnect() {
        return discovery || given.containsKey(FabricsOption.DUPLICATE_CONNECT);
    }

    /** Whether to ask the controller to disable SQ flow control (SQHD pointer updates). */
    public boolean disableSqflow() {
        return given.containsKey(FabricsOption.DISABLE_SQFLOW);
    }

    /**
     * {@code offload_fallback}: the transport a {@code tcp_offload} controller continues on when no offload device
     * claims its connection (only {@link #FALLBACK_TCP}), or null when it does not fall back (the default).
     *
     * @since 1.4
     */
    public String offloadFallback() {
        return (String) given.get(FabricsOption.OFFLOAD_FALLBACK);
    }

    /**
     * {@code dhchap_secret}: the host's DH-HMAC-CHAP secret in the {@code DHHC-1} representation (already checked),
     * or null. Key material: keep it out of logs.
     *
     * @since 1.7
     */
    public String dhchapSecret() {
        return (String) given.get(FabricsOption.DHCHAP_SECRET);
    }

    /**
     * {@code dhchap_ctrl_secret}: the controller's DH-HMAC-CHAP secret, asking for bidirectional authentication, or
     * null. Key material: keep it out of logs.
     *
     * @since 1.7
     */
    public String dhchapCtrlSecret() {
        return (String) given.get(FabricsOption.DHCHAP_CTRL_SECRET);
    }

    /**
     * {@code tls}: whether the connection runs NVMe/TCP over TLS 1.3 with a PSK; also true when {@code tls_key} is
     * given (a key is only ever used for TLS).
     *
     * @since 1.8
     */
    public boolean tls() {
        return given.containsKey(FabricsOption.TLS) || given.containsKey(FabricsOption.TLS_KEY);
    }

    /**
     * {@code tls_key}: the configured TLS PSK in the {@code NVMeTLSkey-1} interchange format (already checked), or
     * null (then the PSK comes from {@link #keyring()}). Key material: keep it out of logs.
     *
     * @since 1.8
     */
    public String tlsKey() {
        return (String) given.get(FabricsOption.TLS_KEY);
    }

    /**
     * {@code keyring}: the TLS PSK keyring file to look this host's PSK for the subsystem up in, or null for the
     * host's default keyring.
     *
     * @since 1.8
     */
    public String keyring() {
        return (String) given.get(FabricsOption.KEYRING);
    }

    /** Whether this is a discovery controller: {@code nqn} is {@link #DISCOVERY_NQN} or {@code discovery} given. */
    public boolean discovery() {
        return discovery;
    }

    // ---- about the options ----

    /** The names of the options the user gave (in {@link #ALL} order), without those ignored with a warning. */
    public Set<String> given() {
        Set<String> names = new LinkedHashSet<>();
        for (FabricsOption option : given.keySet()) {
            names.add(option.key);
        }
        return Collections.unmodifiableSet(names);
    }

    /** Whether the user gave the option {@code name}. */
    public boolean isGiven(String name) {
        FabricsOption option = FabricsOption.of(name);
        return option != null && given.containsKey(option);
    }

    /** What was accepted but changed or ignored, as Linux warns about it; empty for most options. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Checks these options against what a transport allows and requires ({@link OptionPolicy#check}).
     *
     * @param allowed option names the transport allows beyond {@link OptionPolicy#GENERIC_ALLOWED}
     * @param required option names the transport requires
     */
    public void checkTransport(Set<String> allowed, Set<String> required) throws InvalidOptionException {
        new OptionPolicy(transport(), allowed, required).check(this);
    }

    /** The given options in the kernel syntax, in {@link #ALL} order; with the secrets, so never for a log. */
    public String toFabricsString() {
        return text(false);
    }

    private String text(boolean hideSecrets) {
        StringBuilder text = new StringBuilder(128);
        for (Map.Entry<FabricsOption, Object> entry : given.entrySet()) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(entry.getKey().key);
            if (entry.getKey().kind != FabricsOption.Kind.FLAG) {
                text.append('=').append(hideSecrets && entry.getKey().secret ? FabricsOption.HIDDEN : entry.getValue());
            }
        }
        return text.toString();
    }

    /** {@link #toFabricsString()} with the secrets' values hidden: safe for logs and messages. */
    @Override
    public String toString() {
        return text(true);
    }

    /** Equal when the same options were given with the same values and the same default host fills in. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectOptions && given.equals(((ConnectOptions) other).given)
                && Objects.equals(defaultHost, ((ConnectOptions) other).defaultHost);
    }

    @Override
    public int hashCode() {
        return given.hashCode() * 31 + Objects.hashCode(defaultHost);
    }

    private int intOr(FabricsOption option, int otherwise) {
        Object value = given.get(option);
        return value == null ? otherwise : (Integer) value;
    }

    /**
     * Builds {@link ConnectOptions} one option at a time, each method named after its kernel option; an option
     * never set takes its default. {@link #build()} validates as {@link ConnectOptions#parse(String)} does. A flag
     * set to false is as if never given.
     */
    @ProviderType
    public static final class Builder {

        final EnumMap<FabricsOption, Object> values = new EnumMap<>(FabricsOption.class);

        Builder() {
        }

        /** @throws InvalidOptionException naming the first option that is missing, malformed or out of range */
        public ConnectOptions build() throws InvalidOptionException {
            List<String> warnings = new ArrayList<>();
            EnumMap<FabricsOption, Object> valid = OptionValidation.validate(values, warnings);
            return new ConnectOptions(valid, warnings);
        }

        public Builder transport(String transport) {
            return put(FabricsOption.TRANSPORT, transport);
        }

        public Builder traddr(String traddr) {
            return put(FabricsOption.TRADDR, traddr);
        }

        public Builder trsvcid(int port) {
            return put(FabricsOption.TRSVCID, port);
        }

        public Builder nqn(String subsystemNqn) {
            return put(FabricsOption.NQN, subsystemNqn);
        }

        public Builder hostnqn(String hostnqn) {
            return put(FabricsOption.HOSTNQN, hostnqn);
        }

        public Builder hostid(UUID hostid) {
            return put(FabricsOption.HOSTID, hostid);
        }

        public Builder hostTraddr(String hostTraddr) {
            return put(FabricsOption.HOST_TRADDR, hostTraddr);
        }

        public Builder hostIface(String hostIface) {
            return put(FabricsOption.HOST_IFACE, hostIface);
        }

        public Builder nrIoQueues(int queues) {
            return put(FabricsOption.NR_IO_QUEUES, queues);
        }

        public Builder nrWriteQueues(int queues) {
            return put(FabricsOption.NR_WRITE_QUEUES, queues);
        }

        public Builder nrPollQueues(int queues) {
            return put(FabricsOption.NR_POLL_QUEUES, queues);
        }

        public Builder queueSize(int entries) {
            return put(FabricsOption.QUEUE_SIZE, entries);
        }

        public Builder keepAliveTmo(int seconds) {
            return put(FabricsOption.KEEP_ALIVE_TMO, seconds);
        }

        public Builder reconnectDelay(int seconds) {
            return put(FabricsOption.RECONNECT_DELAY, seconds);
        }

        public Builder ctrlLossTmo(int seconds) {
            return put(FabricsOption.CTRL_LOSS_TMO, seconds);
        }

        public Builder fastIoFailTmo(int seconds) {
            return put(FabricsOption.FAST_IO_FAIL_TMO, seconds);
        }

        public Builder hdrDigest(boolean on) {
            return flag(FabricsOption.HDR_DIGEST, on);
        }

        public Builder dataDigest(boolean on) {
            return flag(FabricsOption.DATA_DIGEST, on);
        }

        /** @since 1.8 */
        public Builder tls(boolean on) {
            return flag(FabricsOption.TLS, on);
        }

        /** @since 1.8 */
        public Builder tlsKey(String key) {
            return put(FabricsOption.TLS_KEY, key);
        }

        /** @since 1.8 */
        public Builder keyring(String file) {
            return put(FabricsOption.KEYRING, file);
        }

        public Builder tos(int typeOfService) {
            return put(FabricsOption.TOS, typeOfService);
        }

        public Builder duplicateConnect(boolean on) {
            return flag(FabricsOption.DUPLICATE_CONNECT, on);
        }

        public Builder disableSqflow(boolean on) {
            return flag(FabricsOption.DISABLE_SQFLOW, on);
        }

        /** Forces a discovery controller even when {@code nqn} is not {@link ConnectOptions#DISCOVERY_NQN}. */
        /** @since 1.4 */
        public Builder offloadFallback(String transport) {
            return put(FabricsOption.OFFLOAD_FALLBACK, transport);
        }

        /** @since 1.7 */
        public Builder dhchapSecret(String secret) {
            return put(FabricsOption.DHCHAP_SECRET, secret);
        }

        /** @since 1.7 */
        public Builder dhchapCtrlSecret(String secret) {
            return put(FabricsOption.DHCHAP_CTRL_SECRET, secret);
        }

        public Builder discovery(boolean on) {
            return flag(FabricsOption.DISCOVERY, on);
        }

        /** Forgets the option {@code name}, as if never set. */
        public Builder clear(String name) {
            FabricsOption option = FabricsOption.of(name);
            if (option != null) {
                values.remove(option);
            }
            return this;
        }

        private Builder flag(FabricsOption option, boolean on) {
            return put(option, on ? Boolean.TRUE : null);
        }

        /** A null value forgets the option. */
        Builder put(FabricsOption option, Object value) {
            if (value == null) {
                values.remove(option);
            } else {
                values.put(option, value);
            }
            return this;
        }
    }
}
