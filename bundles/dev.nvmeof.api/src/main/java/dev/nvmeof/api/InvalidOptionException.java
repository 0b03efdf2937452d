package dev.nvmeof.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A fabrics option is unknown, missing, malformed, out of range, given twice, or not supported by the chosen
 * transport. Nothing was created. {@link #option()} is the option's kernel name (e.g. {@code queue_size}) and the
 * message says why, e.g. {@code invalid option queue_size=8: must be 16 to 1024}.
 */
@ProviderType
public class InvalidOptionException extends NvmeException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String reason;

    protected InvalidOptionException(String message, String option, String reason) {
        super(message);
        this.option = option;
        this.reason = reason;
    }

    /** The general factory: {@code option} is the kernel name, {@code reason} what is wrong with it. */
    public static InvalidOptionException of(String option, String reason) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(reason, "reason");
        return new InvalidOptionException("invalid option " + option + ": " + reason, option, reason);
    }

    /** A value that does not parse or is out of range. */
    public static InvalidOptionException invalidValue(String option, Object value, String reason) {
        return new InvalidOptionException("invalid option " + option + "=" + value + ": " + reason, option, reason);
    }

    /** An option name this host does not know (as Linux: "unknown parameter or missing value"). */
    public static InvalidOptionException unknown(String option) {
        return new InvalidOptionException("unknown option " + option, option, "unknown option");
    }

    /** A required option that was not given (Linux: {@code nvmf_check_required_opts}). */
    public static InvalidOptionException missing(String option) {
        return new InvalidOptionException("missing option " + option, option, "required");
    }

    /** An option the transport requires that was not given (Linux: {@code nvmf_check_required_opts}). */
    public static InvalidOptionException requiredBy(String option, String transport) {
        return new InvalidOptionException("missing option " + option + ", required by transport " + transport,
                option, "required by transport " + transport);
    }

    /** The same option given twice. */
    public static InvalidOptionException duplicate(String option) {
        return new InvalidOptionException("option " + option + " is given twice", option, "given twice");
    }

    /** An option the transport does not allow (Linux: {@code nvmf_check_allowed_opts}). */
    public static InvalidOptionException notAllowed(String option, String transport) {
        return new InvalidOptionException("option " + option + " is not supported by transport " + transport,
                option, "not supported by transport " + transport);
    }

    /** The option's kernel name, e.g. {@code nr_io_queues}. */
    public String option() {
        return option;
    }

    /** Why it was refused, without the option's name. */
    public String reason() {
        return reason;
    }
}
