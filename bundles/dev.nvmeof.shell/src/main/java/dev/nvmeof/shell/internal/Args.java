package dev.nvmeof.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options as nvme-cli (getopt_long) and iproute2 take them: {@code --name value}, {@code --name=value},
 * {@code -x value}, {@code -xvalue}, flags grouped ({@code -gG}), {@code --} ending the options; the rest are
 * positional. Anything unknown is refused, naming it.
 */
public final class Args {

    /** One option: its long name, its short letter (0 for none), whether it takes a value, and its help. */
    public record Option(String name, char letter, boolean takesValue, String help) {
    }

    /** The options of one command, in the order its help lists them. */
    public static final class Spec {
        private final String command;
        private final List<Option> options = new ArrayList<>();

        public Spec(String command) {
            this.command = command;
            flag("help", 'h', "show this help");
        }

        public Spec value(String name, char letter, String help) {
            options.add(new Option(name, letter, true, help));
            return this;
        }

        public Spec flag(String name, char letter, String help) {
            options.add(new Option(name, letter, false, help));
            return this;
        }

        public String command() {
            return command;
        }

        public List<Option> options() {
            return List.copyOf(options);
        }

        Option byName(String name) {
            for (Option option : options) {
                // nvme-cli spells some long options with '_' (fast_io_fail_tmo); take either.
                if (option.name.equals(name) || option.name.equals(name.replace('-', '_'))
                        || option.name.equals(name.replace('_', '-'))) {
                    return option;
                }
            }
            throw ShellException.usage(command + ": unknown option '--" + name + "'");
        }

        Option byLetter(char letter) {
            for (Option option : options) {
                if (option.letter == letter) {
                    return option;
                }
            }
            throw ShellException.usage(command + ": unknown option '-" + letter + "'");
        }

        /** Parses {@code args}; throws a usage error naming the first bad one. */
        public Args parse(List<String> args) {
            Args parsed = new Args(this);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--")) {
                    parsed.positional.addAll(args.subList(i + 1, args.size()));
                    break;
                } else if (arg.startsWith("--")) {
                    int eq = arg.indexOf('=');
                    Option option = byName(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
                    if (!option.takesValue && eq >= 0) {
                        throw ShellException.usage(command + ": option '--" + option.name + "' takes no value");
                    }
                    String value = eq >= 0 ? arg.substring(eq + 1)
                            : option.takesValue ? next(args, ++i, option) : "";
                    parsed.values.put(option.name, value);
                } else if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
                    for (int c = 1; c < arg.length(); c++) {
                        Option option = byLetter(arg.charAt(c));
                        if (option.takesValue) {
                            String value = c + 1 < arg.length() ? arg.substring(c + 1) : next(args, ++i, option);
                            parsed.values.put(option.name, value);
                            break;
                        }
                        parsed.values.put(option.name, "");
                    }
                } else {
                    parsed.positional.add(arg);
                }
            }
            return parsed;
        }

        private String next(List<String> args, int index, Option option) {
            if (index >= args.size()) {
                throw ShellException.usage(command + ": option '" + spelling(option) + "' needs a value");
            }
            return args.get(index);
        }

        static String spelling(Option option) {
            return "--" + option.name + (option.letter == 0 ? "" : "' ('-" + option.letter);
        }

        private static boolean isNumber(String arg) {
            return arg.length() > 1 && Character.isDigit(arg.charAt(1));
        }
    }

    private final Spec spec;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(Spec spec) {
        this.spec = spec;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String value(String name) {
        return values.get(name);
    }

    /** The value given, or refuses the command naming the option it needs. */
    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw ShellException.usage(spec.command() + ": " + spell(name) + " is required");
        }
        return value;
    }

    public String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** A whole number option (decimal or 0x hex), or {@code fallback} when absent. */
    public long number(String name, long fallback) {
        String value = values.get(name);
        return value == null ? fallback : Units.number(value, spec.command() + ": " + spell(name));
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** {@code json} or {@code normal} (nvme-cli's {@code -o}); anything else is refused. */
    public boolean json() {
        String format = values.getOrDefault("output-format", "normal");
        if (!format.equals("json") && !format.equals("normal")) {
            throw ShellException.usage(spec.command() + ": output format '" + format
                    + "' is not one of normal, json");
        }
        return format.equals("json");
    }

    private String spell(String name) {
        for (Option option : spec.options()) {
            if (option.name().equals(name)) {
                return "'--" + name + "'" + (option.letter() == 0 ? "" : " (-" + option.letter() + ")");
            }
        }
        return "'--" + name + "'";
    }
}
