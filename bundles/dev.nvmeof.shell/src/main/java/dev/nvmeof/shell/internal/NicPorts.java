package dev.nvmeof.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.Port;

/**
 * The ports of every emulated NIC function present, in a stable order (by port name: {@code p1p1, p1p2, p2p1}),
 * numbered like Linux interface indexes from 2 ({@code 1} is {@code lo}, which is not ours to show). Ports come and
 * go with their NIC functions, so every command takes a fresh snapshot.
 */
public final class NicPorts {
    /** The ifindex of the first port. */
    static final int FIRST_INDEX = 2;

    private final Supplier<List<NicFunction>> functions;

    /** @param functions the NIC functions present now (services come and go) */
    public NicPorts(Supplier<List<NicFunction>> functions) {
        this.functions = functions;
    }

    /** One port of one NIC function, with its interface index. */
    public record NicPort(int index, NicFunction function, Port port) {
        public String name() {
            return port.name();
        }
    }

    /** The NIC functions, ordered by their first port's name. */
    public List<NicFunction> functions() {
        List<NicFunction> list = new ArrayList<>(functions.get());
        list.sort(Comparator.comparing((NicFunction f) -> f.netDevice().ports().get(0).name(), NicPorts::byName));
        return list;
    }

    /** Every port, in order. */
    public List<NicPort> all() {
        List<NicPort> ports = new ArrayList<>();
        for (NicFunction function : functions()) {
            for (Port port : function.netDevice().ports()) {
                ports.add(new NicPort(FIRST_INDEX + ports.size(), function, port));
            }
        }
        return ports;
    }

    /** The port named {@code name}, or ENODEV in iproute2's words: {@code Cannot find device "p9p9"}. */
    public NicPort find(String name) {
        for (NicPort port : all()) {
            if (port.name().equals(name)) {
                return port;
            }
        }
        throw new ShellException(ShellException.ENODEV, "Cannot find device \"" + name + "\" (devices: "
                + names() + ")");
    }

    /** {@code p1p1, p2p1}, or {@code none} when no NIC function is present. */
    public String names() {
        List<String> names = all().stream().map(NicPort::name).toList();
        return names.isEmpty() ? "none: no emulated NIC function is present" : String.join(", ", names);
    }

    /** p2p1 before p10p1: digits compare as numbers. */
    static int byName(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = Long.compare(Long.parseLong(a.substring(i, Math.min(ei, i + 18))),
                        Long.parseLong(b.substring(j, Math.min(ej, j + 18))));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
