package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nvmeof.nic.emulated.PortAddress;
import dev.nvmeof.nic.emulated.Route;
import dev.nvmeof.shell.internal.NicPorts.NicPort;

/**
 * The {@code ip} command word with iproute2's syntax and output shapes, over the ports of the emulated offload NICs
 * only ({@code p1p1}, ...; never the host's own interfaces): {@code ip addr add|del|show}, {@code ip link set|show},
 * {@code ip route show|get}, {@code -j} for JSON. Errors are iproute2's words on one line.
 */
public final class IpCommands {
    private static final String SCOPE_ONLY = "emulated offload NIC ports only, not the host's interfaces";
    /** iproute2's "forever" lifetime. */
    private static final long FOREVER = 0xFFFF_FFFFL;
    private static final int MTU = 1500;
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;
    private static final int ENETUNREACH = 101;

    private final NicPorts ports;

    public IpCommands(NicPorts ports) {
        this.ports = ports;
    }

    /** The {@code ip} word with {@code addr}, {@code link} and {@code route}. */
    public static CommandWord create(NicPorts ports) {
        IpCommands ip = new IpCommands(ports);
        CommandWord word = new CommandWord("ip", "addresses, links and routes of the " + SCOPE_ONLY
                + ", as iproute2 shows them (ip -j ... for JSON)").optionsBeforeCommand();
        word.add(new Subcommand("addr", "ip addr {add|del} ADDRESS[/PREFIX] dev PORT | ip addr [show] [[dev] PORT]"
                + " (" + SCOPE_ONLY + ")", spec("ip addr"), ip::addr));
        word.add(new Subcommand("link", "ip link set [dev] PORT {up|down} | ip link [show] [[dev] PORT]; down fails"
                + " every queue pair on the port, as the NIC's link going down", spec("ip link"), ip::link));
        word.add(new Subcommand("route", "ip route [show] | ip route get ADDRESS: the connected route of each address"
                + " on a port whose link is up", spec("ip route"), ip::route));
        return word;
    }

    private static Args.Spec spec(String command) {
        return new Args.Spec(command).flag("json", 'j', "JSON output, as ip -j");
    }

    private void addr(Args args, PrintStream out) {
        List<String> words = args.positional();
        String verb = words.isEmpty() ? "show" : words.get(0);
        List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
        switch (verb) {
            case "add", "del", "delete" -> change(verb.equals("add"), rest);
            case "show", "list", "ls", "lst" -> show(args.has("json"), device(rest), true, out);
            default -> throw ShellException.usage("Command \"" + verb + "\" is unknown, try \"ip addr help\".");
        }
    }

    private void link(Args args, PrintStream out) {
        List<String> words = args.positional();
        String verb = words.isEmpty() ? "show" : words.get(0);
        List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
        switch (verb) {
            case "set" -> setLink(rest);
            case "show", "list", "ls", "lst" -> show(args.has("json"), device(rest), false, out);
            default -> throw ShellException.usage("Command \"" + verb + "\" is unknown, try \"ip link help\".");
        }
    }

    private void route(Args args, PrintStream out) {
        List<String> words = args.positional();
        String verb = words.isEmpty() ? "show" : words.get(0);
        switch (verb) {
            case "show", "list", "ls", "lst" -> {
                if (words.size() > 1) {
                    throw garbage(words.get(1));
                }
                routes(args.has("json"), out);
            }
            case "get" -> {
                if (words.size() != 2) {
                    throw ShellException.usage(words.size() < 2 ? "Command line is not complete. Try option"
                            + " \"help\"" : garbage(words.get(2)).getMessage());
                }
                get(words.get(1), args.has("json"), out);
            }
            default -> throw ShellException.usage("Command \"" + verb + "\" is unknown, try \"ip route help\".");
        }
    }

    /** {@code ip addr add|del ADDRESS dev PORT}: silent on success, like iproute2. */
    private void change(boolean add, List<String> words) {
        String address = null;
        String device = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("dev")) {
                if (++i >= words.size()) {
                    throw ShellException.usage("Command line is not complete. Try option \"help\"");
                }
                device = words.get(i);
            } else if (address == null) {
                address = word;
            } else {
                throw ShellException.usage("Error: either \"local\" is duplicate, or \"" + word
                        + "\" is a garbage.");
            }
        }
        if (address == null) {
            throw ShellException.usage("Not enough information: an address (ADDRESS/PREFIX) is required.");
        }
        if (device == null) {
            throw ShellException.usage("Not enough information: \"dev\" argument is required.");
        }
        PortAddress parsed = prefix(address);
        NicPort port = ports.find(device);
        if (add) {
            try {
                port.function().netDevice().addAddress(port.name(), parsed.toString());
            } catch (IllegalArgumentException exists) {
                throw new ShellException(EEXIST, "RTNETLINK answers: File exists (" + exists.getMessage() + ")");
            }
        } else if (!port.function().netDevice().removeAddress(port.name(), parsed.toString())) {
            throw new ShellException(EADDRNOTAVAIL, "RTNETLINK answers: Cannot assign requested address ("
                    + port.name() + " has no " + parsed + ")");
        }
    }

    /** {@code ADDRESS/PREFIX}, or a host address ({@code /32}, {@code /128}) as iproute2 takes one without prefix. */
    private static PortAddress prefix(String text) {
        String cidr = text.indexOf('/') >= 0 ? text : text + (text.indexOf(':') >= 0 ? "/128" : "/32");
        try {
            return PortAddress.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw ShellException.usage("Error: any valid prefix is expected rather than \"" + text + "\" ("
                    + e.getMessage() + ").");
        }
    }

    private void setLink(List<String> words) {
        String device = null;
        Boolean up = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("dev") && device == null) {
                if (++i >= words.size()) {
                    throw ShellException.usage("Command line is not complete. Try option \"help\"");
                }
                device = words.get(i);
            } else if (word.equals("up") || word.equals("down")) {
                up = word.equals("up");
            } else if (device == null) {
                device = word;
            } else {
                throw ShellException.usage("Error: only \"up\" and \"down\" can be set on an emulated NIC port, not \""
                        + word + "\".");
            }
        }
        if (device == null) {
            throw ShellException.usage("Not enough information: \"dev\" argument is required.");
        }
        NicPort port = ports.find(device);
        if (up == null) {
            throw ShellException.usage("Not enough information: \"up\" or \"down\" is required.");
        }
        if (up) {
            port.function().faults().linkUp(port.name());
        } else {
            port.function().faults().linkDown(port.name());
        }
    }

    /** {@code [dev] PORT} after show, or every port. */
    private List<NicPort> device(List<String> words) {
        List<String> rest = !words.isEmpty() && words.get(0).equals("dev") ? words.subList(1, words.size()) : words;
        if (!words.isEmpty() && rest.isEmpty()) {
            throw ShellException.usage("Command line is not complete. Try option \"help\"");
        }
        if (rest.size() > 1) {
            throw garbage(rest.get(1));
        }
        return rest.isEmpty() ? ports.all() : List.of(ports.find(rest.get(0)));
    }

    private static ShellException garbage(String word) {
        return ShellException.usage("Error: either \"dev\" is duplicate, or \"" + word + "\" is a garbage.");
    }

    private static void show(boolean json, List<NicPort> list, boolean addresses, PrintStream out) {
        List<Object> links = Json.array();
        for (NicPort p : list) {
            boolean up = p.port().linkUp();
            if (json) {
                Map<String, Object> link = Json.object();
                link.put("ifindex", p.index());
                link.put("ifname", p.name());
                link.put("flags", new ArrayList<Object>(flags(up)));
                link.put("mtu", MTU);
                link.put("operstate", up ? "UP" : "DOWN");
                if (addresses) {
                    List<Object> info = Json.array();
                    for (PortAddress a : p.port().addresses()) {
                        Map<String, Object> entry = Json.object();
                        entry.put("family", a.address() instanceof Inet4Address ? "inet" : "inet6");
                        entry.put("local", a.address().getHostAddress());
                        entry.put("prefixlen", a.prefixLength());
                        entry.put("scope", "global");
                        if (a.address() instanceof Inet4Address) {
                            entry.put("label", p.name());
                        }
                        entry.put("valid_life_time", FOREVER);
                        entry.put("preferred_life_time", FOREVER);
                        info.add(entry);
                    }
                    link.put("addr_info", info);
                }
                links.add(link);
                continue;
            }
            out.println(p.index() + ": " + p.name() + ": <" + String.join(",", flags(up)) + "> mtu " + MTU
                    + " state " + (up ? "UP" : "DOWN") + (addresses ? "" : " mode DEFAULT") + " group default");
            if (addresses) {
                for (PortAddress a : p.port().addresses()) {
                    boolean v4 = a.address() instanceof Inet4Address;
                    out.println("    " + (v4 ? "inet " : "inet6 ") + a + " scope global" + (v4 ? " " + p.name() : ""));
                    out.println("       valid_lft forever preferred_lft forever");
                }
            }
        }
        if (json) {
            out.println(Json.write(links));
        }
    }

    private static List<String> flags(boolean up) {
        List<String> flags = new ArrayList<>(List.of("BROADCAST", "MULTICAST"));
        if (up) {
            flags.addAll(List.of("UP", "LOWER_UP"));
        }
        return flags;
    }

    /** One connected route per address of each port whose link is up: what a route lookup picks from. */
    private void routes(boolean json, PrintStream out) {
        List<Object> routes = Json.array();
        for (NicPort p : ports.all()) {
            if (!p.port().linkUp()) {
                continue;
            }
            for (PortAddress a : p.port().addresses()) {
                String dst = network(a);
                String src = a.address().getHostAddress();
                if (json) {
                    Map<String, Object> route = Json.object();
                    route.put("dst", dst);
                    route.put("dev", p.name());
                    route.put("protocol", "kernel");
                    route.put("scope", "link");
                    route.put("prefsrc", src);
                    route.put("flags", Json.array());
                    routes.add(route);
                } else {
                    out.println(dst + " dev " + p.name() + " proto kernel scope link src " + src);
                }
            }
        }
        if (json) {
            out.println(Json.write(routes));
        }
    }

    /** {@code ip route get ADDRESS}: the longest prefix over every NIC's ports (the first port wins a tie). */
    private void get(String text, boolean json, PrintStream out) {
        InetAddress target;
        try {
            target = PortAddress.parse(text + (text.indexOf(':') >= 0 ? "/128" : "/32")).address();
        } catch (IllegalArgumentException e) {
            throw ShellException.usage("Error: inet prefix is expected rather than \"" + text + "\".");
        }
        Optional<Route> best = Optional.empty();
        for (var function : ports.functions()) {
            Optional<Route> route = function.netDevice().route(target);
            if (route.isPresent() && (best.isEmpty() || route.get().prefixLength() > best.get().prefixLength())) {
                best = route;
            }
        }
        Route route = best.orElseThrow(() -> new ShellException(ENETUNREACH,
                "RTNETLINK answers: Network is unreachable (no emulated NIC port reaches " + text + ")"));
        if (json) {
            Map<String, Object> entry = Json.object();
            entry.put("dst", target.getHostAddress());
            entry.put("dev", route.port());
            entry.put("prefsrc", route.localAddress().getHostAddress());
            entry.put("flags", Json.array());
            List<Object> list = Json.array();
            list.add(entry);
            out.println(Json.write(list));
        } else {
            out.println(target.getHostAddress() + " dev " + route.port() + " src "
                    + route.localAddress().getHostAddress());
        }
    }

    /** {@code 127.0.0.0/8} for {@code 127.0.0.2/8}: the address with the host bits cleared. */
    static String network(PortAddress a) {
        byte[] bytes = a.address().getAddress();
        int bits = a.prefixLength();
        for (int i = 0; i < bytes.length; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : bits <= 0 ? 0 : (0xFF << (8 - bits)) & 0xFF;
            bytes[i] &= (byte) mask;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + a.prefixLength();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }
}
