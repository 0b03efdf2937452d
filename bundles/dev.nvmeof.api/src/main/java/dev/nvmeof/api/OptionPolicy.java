package dev.nvmeof.api;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which fabrics options a transport allows and requires, as a Linux transport declares them in its
 * {@code nvmf_transport_ops} ({@code .allowed_opts}, {@code .required_opts}); for example Linux's {@code tcp}
 * requires {@code traddr} and allows {@code trsvcid, reconnect_delay, host_traddr, ctrl_loss_tmo, hdr_digest,
 * data_digest, nr_write_queues, nr_poll_queues, tos, host_iface}.
 *
 * <p>{@link #check} does what {@code nvmf_create_ctrl} does with them: {@code nvmf_check_required_opts}, then
 * {@code nvmf_check_allowed_opts} against {@link #GENERIC_ALLOWED}, {@link #GENERIC_REQUIRED}, the transport's
 * allowed and its required options. Only options the user gave ({@link ConnectOptions#given()}) count: a default is
 * never refused.
 *
 * @param transport the transport's name, e.g. {@code tcp}, for messages
 * @param allowed option names the transport allows beyond the generic ones
 * @param required option names the transport requires
 */
@ProviderType
public record OptionPolicy(String transport, Set<String> allowed, Set<String> required) {

    /** Required of every transport (Linux {@code NVMF_REQUIRED_OPTS}). */
    public static final Set<String> GENERIC_REQUIRED = names("transport", "nqn");

    /** Allowed with every transport (Linux {@code NVMF_ALLOWED_OPTS}; the DH-HMAC-CHAP secrets since 1.7). */
    public static final Set<String> GENERIC_ALLOWED = names("queue_size", "nr_io_queues", "keep_alive_tmo",
            "hostnqn", "hostid", "duplicate_connect", "disable_sqflow", "discovery", "fast_io_fail_tmo",
            "dhchap_secret", "dhchap_ctrl_secret");

    /**
     * @throws IllegalArgumentException if a name is not one of {@link ConnectOptions#ALL}
     */
    public OptionPolicy {
        Objects.requireNonNull(transport, "transport");
        allowed = known(allowed);
        required = known(required);
    }

    /**
     * Refuses a required option that was not given and a given option the transport does not allow.
     *
     * @throws InvalidOptionException naming the first such option, in {@link ConnectOptions#ALL} order
     */
    public void check(ConnectOptions options) throws InvalidOptionException {
        for (String name : ConnectOptions.ALL) {
            if ((required.contains(name) || GENERIC_REQUIRED.contains(name)) && !options.isGiven(name)) {
                throw InvalidOptionException.requiredBy(name, transport);
            }
        }
        for (String name : options.given()) {
            if (!GENERIC_ALLOWED.contains(name) && !GENERIC_REQUIRED.contains(name) && !allowed.contains(name)
                    && !required.contains(name)) {
                throw InvalidOptionException.notAllowed(name, transport);
            }
        }
    }

    private static Set<String> known(Set<String> names) {
        Set<String> copy = new LinkedHashSet<>();
        for (String name : names) {
            if (!ConnectOptions.ALL.contains(name)) {
                throw new IllegalArgumentException("not a fabrics option: " + name);
            }
            copy.add(name);
        }
        return Collections.unmodifiableSet(copy);
    }

    private static Set<String> names(String... names) {
        return known(Set.of(names));
    }
}
