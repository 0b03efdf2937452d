package dev.nvmeof.api;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskFormatException;

/**
 * The checks of {@code nvmf_parse_options} ({@code drivers/nvme/host/fabrics.c}) over typed values, shared by the
 * parser and the builder. Where Linux refuses ({@code pr_err}, {@code -EINVAL}) this throws an
 * {@link InvalidOptionException} naming the option; where Linux accepts and warns ({@code pr_warn}) this normalises
 * the value as Linux does and adds a warning.
 */
final class OptionValidation {

    private OptionValidation() {
    }

    static boolean isDiscovery(Map<FabricsOption, Object> values) {
        return values.containsKey(FabricsOption.DISCOVERY)
                || ConnectOptions.DISCOVERY_NQN.equals(values.get(FabricsOption.NQN));
    }

    /**
     * @param values the options given, typed (String, Integer, UUID, Boolean.TRUE for a flag)
     * @param warnings receives what was accepted but changed or ignored
     * @return the options as they take effect: normalised, without those ignored
     */
    static EnumMap<FabricsOption, Object> validate(EnumMap<FabricsOption, Object> values, List<String> warnings)
            throws InvalidOptionException {
        EnumMap<FabricsOption, Object> valid = new EnumMap<>(FabricsOption.class);
        boolean discovery = isDiscovery(values);
        for (Map.Entry<FabricsOption, Object> entry : values.entrySet()) {
            FabricsOption option = entry.getKey();
            Object value = entry.getValue();
            if (option.kind == FabricsOption.Kind.STRING) {
                checkText(option, (String) value);
            } else if (option.kind == FabricsOption.Kind.INT) {
                value = checkNumber(option, (Integer) value, discovery, warnings);
            }
            valid.put(option, value);
        }
        // Linux checks NVMF_REQUIRED_OPTS (transport, nqn) after parsing, then the transport's required_opts:
        // traddr for every IP transport, which are all this host has.
        for (FabricsOption required : new FabricsOption[] {
                FabricsOption.TRANSPORT, FabricsOption.TRADDR, FabricsOption.NQN}) {
            if (!valid.containsKey(required)) {
                throw InvalidOptionException.missing(required.key);
            }
        }
        if (discovery) {
            for (FabricsOption queues : new FabricsOption[] {
                    FabricsOption.NR_IO_QUEUES, FabricsOption.NR_WRITE_QUEUES, FabricsOption.NR_POLL_QUEUES}) {
                if (valid.remove(queues) != null) {
                    warnings.add(queues.key + " ignored: a discovery controller has no I/O queues");
                }
            }
        }
        if (valid.containsKey(FabricsOption.DHCHAP_CTRL_SECRET) && !valid.containsKey(FabricsOption.DHCHAP_SECRET)) {
            // The controller authenticates itself only in a transaction the host's own secret opens.
            throw InvalidOptionException.of(FabricsOption.DHCHAP_CTRL_SECRET.key,
                    "needs dhchap_secret: bidirectional authentication authenticates the host first");
        }
        Integer ctrlLoss = (Integer) valid.getOrDefault(FabricsOption.CTRL_LOSS_TMO,
                ConnectOptions.DEFAULT_CTRL_LOSS_TMO);
        Integer fastFail = (Integer) valid.get(FabricsOption.FAST_IO_FAIL_TMO);
        if (ctrlLoss >= 0 && fastFail != null && fastFail > ctrlLoss) {
            // Linux: "failfast tmo (%d) larger than controller loss tmo (%d)"; the controller is lost first.
            valid.remove(FabricsOption.FAST_IO_FAIL_TMO);
            warnings.add("fast_io_fail_tmo=" + fastFail + " ignored: larger than ctrl_loss_tmo=" + ctrlLoss);
        }
        return valid;
    }

    private static void checkText(FabricsOption option, String value) throws InvalidOptionException {
        if (value.isEmpty()) {
            throw InvalidOptionException.invalidValue(option.key, value, "must not be empty");
        }
        if (value.indexOf(',') >= 0 || value.indexOf('\n') >= 0) {
            // The kernel syntax could not carry it: "," and a line break separate options.
            throw InvalidOptionException.invalidValue(option.key, option.secret ? FabricsOption.HIDDEN : value,
                    "must not contain ',' or a line break");
        }
        if (option.secret) {
            checkSecret(option, value);
        }
        if (option == FabricsOption.OFFLOAD_FALLBACK && !ConnectOptions.FALLBACK_TCP.equals(value)) {
            throw InvalidOptionException.invalidValue(option.key, value, "the only fallback is the software transport '"
                    + ConnectOptions.FALLBACK_TCP + "'");
        }
        if (option == FabricsOption.NQN || option == FabricsOption.HOSTNQN) {
            String problem = FabricsOption.nqnProblem(value);
            if (problem != null) {
                throw InvalidOptionException.invalidValue(option.key, value, problem);
            }
        }
    }

    /** Parses a DH-HMAC-CHAP secret only to check it; the message names the option and the fault, never the value. */
    private static void checkSecret(FabricsOption option, String value) throws InvalidOptionException {
        if (option == FabricsOption.TLS_KEY) {
            try (TlsPsk key = TlsPsk.parse(value)) {
                return; // valid; the transport parses it again where it uses it
            } catch (TlsPskFormatException e) {
                throw InvalidOptionException.of(option.key, e.getMessage());
            }
        }
        try (DhchapSecret secret = DhchapSecret.parse(value)) {
            // valid; the host parses it again where it uses it
        } catch (DhchapSecretFormatException e) {
            throw InvalidOptionException.of(option.key, e.getMessage());
        }
    }

    private static Integer checkNumber(FabricsOption option, int value, boolean discovery, List<String> warnings)
            throws InvalidOptionException {
        switch (option) {
            case TRSVCID:
                return atLeast(option, value, 1, 65535);
            case QUEUE_SIZE:
                return atLeast(option, value, ConnectOptions.MIN_QUEUE_SIZE, ConnectOptions.MAX_QUEUE_SIZE);
            case NR_IO_QUEUES:
            case NR_WRITE_QUEUES:
            case NR_POLL_QUEUES:
            case RECONNECT_DELAY:
                return atLeast(option, value, 1, Integer.MAX_VALUE);
            case KEEP_ALIVE_TMO:
                atLeast(option, value, 0, Integer.MAX_VALUE);
                if (value == 0 && !discovery) {
                    warnings.add("keep_alive_tmo=0: no keep-alive, a dead controller is noticed only by its I/O");
                }
                return value;
            case CTRL_LOSS_TMO:
                if (value < ConnectOptions.FOREVER) {
                    warnings.add("ctrl_loss_tmo=" + value + " taken as -1: reconnect forever");
                    return ConnectOptions.FOREVER;
                }
                return value;
            case FAST_IO_FAIL_TMO:
                return value < 0 ? ConnectOptions.OFF : value;
            case TOS:
                atLeast(option, value, 0, Integer.MAX_VALUE);
                if (value > 255) {
                    warnings.add("tos=" + value + " clamped to 255");
                    return 255;
                }
                return value;
            default:
                throw new IllegalStateException("not a number option: " + option.key);
        }
    }

    private static Integer atLeast(FabricsOption option, int value, int min, int max)
            throws InvalidOptionException {
        if (value < min || value > max) {
            throw InvalidOptionException.invalidValue(option.key, value, max == Integer.MAX_VALUE
                    ? "must be at least " + min : "must be " + min + " to " + max);
        }
        return value;
    }
}
