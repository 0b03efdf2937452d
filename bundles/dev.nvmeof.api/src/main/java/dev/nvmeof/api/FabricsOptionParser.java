package dev.nvmeof.api;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns the kernel's {@code /dev/nvme-fabrics} text and configuration properties into typed values for
 * {@link ConnectOptions.Builder}; {@link OptionValidation} then checks them.
 *
 * <p>The text syntax is Linux's: options separated by {@code ','} or a line break ({@code strsep(&o, ",\n")}),
 * empty ones skipped, {@code name=value} or a bare flag. Unlike Linux, which keeps the last of two equal options,
 * an option given twice is refused: two values for one option are a mistake in a script, not an intent. Numbers are
 * decimal ({@code match_int} would also take {@code 0x10} and octal {@code 010}).
 */
final class FabricsOptionParser {

    private FabricsOptionParser() {
    }

    static ConnectOptions parse(String text) throws InvalidOptionException {
        Objects.requireNonNull(text, "text");
        ConnectOptions.Builder builder = ConnectOptions.builder();
        for (String token : text.split("[,\n]")) {
            if (token.isEmpty()) {
                continue;
            }
            int equals = token.indexOf('=');
            String name = equals < 0 ? token : token.substring(0, equals);
            String value = equals < 0 ? null : token.substring(equals + 1);
            FabricsOption option = known(name);
            if (builder.values.containsKey(option)) {
                throw InvalidOptionException.duplicate(name);
            }
            builder.put(option, fromText(option, value));
        }
        return builder.build();
    }

    static ConnectOptions parse(Map<String, ?> properties) throws InvalidOptionException {
        Objects.requireNonNull(properties, "properties");
        ConnectOptions.Builder builder = ConnectOptions.builder();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String name = entry.getKey();
            if (name == null || name.indexOf('.') >= 0 || entry.getValue() == null) {
                continue; // service.pid, component.name, .private: configuration metadata, never an option
            }
            builder.put(known(name), fromObject(known(name), entry.getValue()));
        }
        return builder.build();
    }

    private static FabricsOption known(String name) throws InvalidOptionException {
        FabricsOption option = FabricsOption.of(name);
        if (option == null) {
            throw InvalidOptionException.unknown(name);
        }
        return option;
    }

    /** @param value the text after '=', or null when there was no '=' */
    private static Object fromText(FabricsOption option, String value) throws InvalidOptionException {
        if (option.kind == FabricsOption.Kind.FLAG) {
            if (value != null) {
                throw InvalidOptionException.invalidValue(option.key, value, "is a flag and takes no value");
            }
            return Boolean.TRUE;
        }
        if (value == null || value.isEmpty()) {
            throw InvalidOptionException.of(option.key, "needs a value (" + option.key + "=...)");
        }
        switch (option.kind) {
            case INT:
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw InvalidOptionException.invalidValue(option.key, value, "not a decimal int");
                }
            case UUID:
                try {
                    return FabricsOption.parseUuid(value);
                } catch (IllegalArgumentException e) {
                    throw InvalidOptionException.invalidValue(option.key, value, e.getMessage());
                }
            default:
                return value;
        }
    }

    /** A value from configuration: its own type where it has one, else its text as in the kernel syntax. */
    private static Object fromObject(FabricsOption option, Object value) throws InvalidOptionException {
        switch (option.kind) {
            case FLAG:
                if (value instanceof Boolean) {
                    return (Boolean) value ? Boolean.TRUE : null;
                }
                if (value instanceof String && ("true".equalsIgnoreCase((String) value)
                        || "false".equalsIgnoreCase((String) value))) {
                    return Boolean.parseBoolean((String) value) ? Boolean.TRUE : null;
                }
                throw InvalidOptionException.invalidValue(option.key, value, "is a flag: true or false");
            case INT:
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).intValue();
                }
                if (value instanceof Long || value instanceof BigInteger) {
                    BigInteger big = value instanceof Long ? BigInteger.valueOf((Long) value) : (BigInteger) value;
                    if (big.bitLength() >= Integer.SIZE) {
                        throw InvalidOptionException.invalidValue(option.key, value, "out of the int range");
                    }
                    return big.intValue();
                }
                if (value instanceof String) {
                    return fromText(option, (String) value);
                }
                throw InvalidOptionException.invalidValue(option.key, value,
                        "needs a whole number, not a " + value.getClass().getSimpleName());
            case UUID:
                if (value instanceof UUID) {
                    return value;
                }
                if (value instanceof String) {
                    return fromText(option, (String) value);
                }
                throw InvalidOptionException.invalidValue(option.key, value, "needs a UUID");
            default:
                if (value instanceof String) {
                    return fromText(option, (String) value);
                }
                throw InvalidOptionException.invalidValue(option.key, option.secret ? FabricsOption.HIDDEN : value,
                        "needs a string, not a " + value.getClass().getSimpleName());
        }
    }
}
