package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.nvmeof.protocol.DiscoveryLogEntry;

/** A discovery log page as {@code nvme discover} prints it, in words (NVMe over Fabrics 1.1, Figure 38). */
final class DiscoveryFormat {
    private DiscoveryFormat() {
    }

    static void print(PrintStream out, long genctr, List<DiscoveryLogEntry> entries) {
        out.println();
        out.println("Discovery Log Number of Records " + entries.size() + ", Generation counter " + genctr);
        for (int i = 0; i < entries.size(); i++) {
            DiscoveryLogEntry e = entries.get(i);
            out.println("=====Discovery Log Entry " + i + "======");
            out.println("trtype:  " + trtype(e.trtype()));
            out.println("adrfam:  " + adrfam(e.adrfam()));
            out.println("subtype: " + subtype(e.subtype()));
            out.println("treq:    " + treq(e.treq()));
            out.println("portid:  " + e.portid());
            out.println("trsvcid: " + e.trsvcid().trim());
            out.println("subnqn:  " + e.subnqn());
            out.println("traddr:  " + e.traddr().trim());
            out.println("eflags:  " + eflags(e.eflags()));
            if (e.trtype() == 3) {
                out.println("sectype: " + sectype(e.sectype()));
            }
        }
    }

    static Map<String, Object> json(long genctr, List<DiscoveryLogEntry> entries) {
        Map<String, Object> root = Json.object();
        root.put("genctr", genctr);
        List<Object> records = Json.array();
        for (DiscoveryLogEntry e : entries) {
            Map<String, Object> r = Json.object();
            r.put("trtype", trtype(e.trtype()));
            r.put("adrfam", adrfam(e.adrfam()));
            r.put("subtype", subtype(e.subtype()));
            r.put("treq", treq(e.treq()));
            r.put("portid", e.portid());
            r.put("trsvcid", e.trsvcid().trim());
            r.put("subnqn", e.subnqn());
            r.put("traddr", e.traddr().trim());
            r.put("eflags", eflags(e.eflags()));
            if (e.trtype() == 3) {
                r.put("sectype", sectype(e.sectype()));
            }
            records.add(r);
        }
        root.put("records", records);
        return root;
    }

    static String trtype(int trtype) {
        return switch (trtype) {
            case 1 -> "rdma";
            case 2 -> "fc";
            case 3 -> "tcp";
            case 254 -> "loop";
            default -> "unrecognized";
        };
    }

    static String adrfam(int adrfam) {
        return switch (adrfam) {
            case 1 -> "ipv4";
            case 2 -> "ipv6";
            case 3 -> "infiniband";
            case 4 -> "fibre-channel";
            case 254 -> "loop";
            default -> "unrecognized";
        };
    }

    static String subtype(int subtype) {
        return switch (subtype) {
            case 1 -> "discovery subsystem referral";
            case 2 -> "nvme subsystem";
            case 3 -> "current discovery subsystem";
            default -> "unrecognized";
        };
    }

    static String treq(int treq) {
        String secure = switch (treq & 3) {
            case 1 -> "required";
            case 2 -> "not required";
            default -> "not specified";
        };
        return (treq & 4) != 0 ? secure + ", sq flow control disable supported" : secure;
    }

    /** libnvme's words: bit 0 DUPRETINFO, bit 1 EPCSD (both: EPCSD first), bit 2 NCC. */
    static String eflags(int eflags) {
        if (eflags == 0) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        if ((eflags & 2) != 0) {
            text.append("explicit discovery connections");
        }
        if ((eflags & 1) != 0) {
            text.append(text.length() > 0 ? ", " : "").append("duplicate discovery information");
        }
        if ((eflags & 4) != 0) {
            text.append(text.length() > 0 ? ", " : "").append("no cdc connectivity");
        }
        return text.toString();
    }

    /** libnvme's {@code nvmf_sectype_str}: the TCP Security Type, 2 = TLS 1.3 (TP 8011). */
    static String sectype(int sectype) {
        return switch (sectype) {
            case 0 -> "none";
            case 1 -> "tls";
            case 2 -> "tls13";
            default -> "unrecognized";
        };
    }
}
