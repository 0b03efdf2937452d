package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFaults;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.Port;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.shell.internal.NicPorts.NicPort;

/**
 * The {@code nic} command word over the emulated offload NICs: {@code nic stats [DEV]} (each function's counters,
 * as {@code ethtool -S} lists them) and {@code nic fault DEV KIND [COUNT]} (fault injection on a port or on the queue
 * pairs bound to it).
 */
public final class NicCommands {

    /** The faults {@code nic fault} injects, by the name the user types. */
    enum Fault {
        LINK_DOWN, LINK_UP, RESET, CORRUPT_DIGEST, DROP_COMPLETION, STALL, UNSTALL;

        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static String words() {
            return Arrays.stream(values()).map(Fault::word).collect(Collectors.joining(", "));
        }

        static Fault of(String word) {
            for (Fault fault : values()) {
                if (fault.word().equals(word)) {
                    return fault;
                }
            }
            throw ShellException.usage("unknown fault '" + word + "' (one of " + words() + ")");
        }
    }

    private final NicPorts ports;

    public NicCommands(NicPorts ports) {
        this.ports = ports;
    }

    /** The {@code nic} word. */
    public static CommandWord create(NicPorts ports) {
        NicCommands nic = new NicCommands(ports);
        CommandWord word = new CommandWord("nic", "the emulated offload NIC functions: counters and fault injection");
        word.add(new Subcommand("stats", "nic stats [PORT|SERIAL]: the counters of each NIC function (or of the one"
                + " with that port or serial), as ethtool -S",
                new Args.Spec("nic stats").value("output-format", 'o', "normal or json"), nic::stats));
        word.add(new Subcommand("fault", "nic fault PORT KIND [COUNT]: inject a fault; KIND is one of "
                + Fault.words() + " (all but the link faults act on every queue pair bound to PORT, or --qid's;"
                + " COUNT is for corrupt-digest)",
                new Args.Spec("nic fault").value("qid", 'q', "only the queue pair of this queue id"), nic::fault));
        return word;
    }

    private void stats(Args args, PrintStream out) {
        boolean json = args.json();
        List<String> words = args.positional();
        if (words.size() > 1) {
            throw ShellException.usage("unexpected argument '" + words.get(1) + "'");
        }
        List<NicFunction> functions = ports.functions();
        if (!words.isEmpty()) {
            String name = words.get(0);
            functions = functions.stream().filter(f -> f.capabilities().serial().equals(name)
                    || f.netDevice().ports().stream().anyMatch(p -> p.name().equals(name))).toList();
            if (functions.isEmpty()) {
                throw new ShellException(ShellException.ENODEV, "no NIC function with port or serial '" + name
                        + "' (ports: " + ports.names() + ")");
            }
        }
        List<Object> list = Json.array();
        for (NicFunction function : functions) {
            NicCapabilities c = function.capabilities();
            String portNames = function.netDevice().ports().stream().map(Port::name).collect(Collectors.joining(","));
            Map<String, Object> counters = Json.object();
            RecordFields.of(function.counters()).forEach((name, value) -> counters.put(snake(name), value));
            if (json) {
                Map<String, Object> entry = Json.object();
                entry.put("serial", c.serial());
                entry.put("vendor_id", String.format("0x%04x", c.vendorId()));
                entry.put("device_id", String.format("0x%04x", c.deviceId()));
                entry.put("ports", new ArrayList<Object>(Arrays.asList(portNames.split(","))));
                entry.put("counters", counters);
                list.add(entry);
                continue;
            }
            out.printf("NIC statistics: %s (%04x:%04x, ports %s)%n", c.serial(), c.vendorId(), c.deviceId(),
                    portNames);
            counters.forEach((name, value) -> out.println("     " + name + ": " + value));
        }
        if (json) {
            out.println(Json.write(list));
        }
    }

    /** {@code pdusIn} -> {@code pdus_in}. */
    static String snake(String camel) {
        StringBuilder text = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                text.append('_').append(Character.toLowerCase(c));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private void fault(Args args, PrintStream out) {
        List<String> words = args.positional();
        if (words.size() < 2) {
            throw ShellException.usage("a port and a fault are required: nic fault PORT KIND [COUNT] (KIND: "
                    + Fault.words() + ")");
        }
        Fault fault = Fault.of(words.get(1));
        NicPort port = ports.find(words.get(0));
        int count = 1;
        if (words.size() > 2) {
            if (fault != Fault.CORRUPT_DIGEST || words.size() > 3) {
                throw ShellException.usage("unexpected argument '" + words.get(fault == Fault.CORRUPT_DIGEST ? 3 : 2)
                        + "' (only corrupt-digest takes a COUNT)");
            }
            long n = Units.number(words.get(2), "COUNT");
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw ShellException.usage("COUNT: '" + words.get(2) + "' must be at least 1");
            }
            count = (int) n;
        }
        NicFaults faults = port.function().faults();
        String name = port.name();
        if (fault == Fault.LINK_DOWN || fault == Fault.LINK_UP) {
            if (args.has("qid")) {
                throw ShellException.usage("'--qid' (-q): " + fault.word() + " acts on the whole port");
            }
            if (fault == Fault.LINK_UP) {
                faults.linkUp(name);
                out.println("fault link-up: " + name + " link up");
            } else {
                int failed = queuePairs(port, args).size();
                faults.linkDown(name);
                out.println("fault link-down: " + name + " link down, " + pairs(failed) + " failed");
            }
            return;
        }
        List<QueuePair> pairs = queuePairs(port, args);
        for (QueuePair qp : pairs) {
            switch (fault) {
                case RESET -> faults.resetConnection(qp);
                case CORRUPT_DIGEST -> faults.corruptDataDigests(qp, count);
                case DROP_COMPLETION -> faults.dropNextCompletion(qp);
                case STALL -> faults.stall(qp, true);
                case UNSTALL -> faults.stall(qp, false);
                default -> throw new IllegalStateException(fault.word() + " is not a queue pair fault");
            }
        }
        String of = pairs(pairs.size()) + " of " + name;
        out.println("fault " + fault.word() + ": " + switch (fault) {
            case RESET -> of + " reset";
            case CORRUPT_DIGEST -> "the next " + count + " data PDU(s) of each of " + of + " count as digest errors";
            case DROP_COMPLETION -> "the next completion of each of " + of + " is dropped";
            case STALL -> of + " stalled";
            default -> of + " resumed";
        });
    }

    /** The queue pairs bound to the port now, or only the one of {@code --qid}. */
    private static List<QueuePair> queuePairs(NicPort port, Args args) {
        List<QueuePair> onPort = port.function().queuePairs().stream()
                .filter(qp -> qp.port().equals(port.name())).toList();
        if (!args.has("qid")) {
            return onPort;
        }
        long qid = args.number("qid", -1);
        List<QueuePair> chosen = onPort.stream().filter(qp -> qp.qid() == qid).toList();
        if (chosen.isEmpty()) {
            throw new ShellException(ShellException.ENODEV, "no queue pair with qid " + qid + " on " + port.name()
                    + (onPort.isEmpty() ? " (it has none)" : " (qids: " + onPort.stream()
                            .map(qp -> String.valueOf(qp.qid())).collect(Collectors.joining(",")) + ")"));
        }
        return chosen;
    }

    private static String pairs(int n) {
        return n + (n == 1 ? " queue pair" : " queue pairs");
    }
}
