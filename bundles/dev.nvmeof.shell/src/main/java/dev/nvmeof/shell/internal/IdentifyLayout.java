package dev.nvmeof.shell.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw 4096-byte Identify Controller (CNS 01h, NVMe Base 2.0 figure 275) and Identify Namespace (CNS 00h, NVM
 * Command Set 1.0 figure 97) structures decoded by table, field by field, as nvme-cli 2.3 prints them: the field
 * names, nvme-cli's order (normal and {@code -o json} differ for the namespace), nvme-cli's hex or decimal choice in
 * normal output, and its JSON types (128-bit fields as decimal strings, text fields as their raw bytes).
 */
final class IdentifyLayout {
    /** How a field reads and prints. */
    enum Kind {
        /** Unsigned little-endian integer, printed {@code %#x} (0 as {@code 0}). */
        HEX,
        /** Unsigned little-endian integer, printed in decimal. */
        DEC,
        /** Space-padded ASCII, printed raw (padding kept), up to a NUL. */
        ASCII,
        /** NUL-terminated UTF-8 (SUBNQN). */
        NQN,
        /** The 3-byte IEEE OUI, least significant byte first: a number, printed as 6 hex digits. */
        IEEE,
        /** A 16-byte UUID (FGUID), printed 8-4-4-4-12. */
        UUID,
        /** A 128-bit little-endian counter: a decimal string in both forms. */
        U128,
        /** Bytes in order as hex digits (NGUID, EUI64). */
        BYTES
    }

    /**
     * One field: its nvme-cli name, byte offset and size in the structure (or power state descriptor), how it
     * reads, and for a bit field the shift and width within the value read (width 0: the whole value).
     */
    record Field(String name, int offset, int size, Kind kind, int shift, int width) {
        Field(String name, int offset, int size, Kind kind) {
            this(name, offset, size, kind, 0, 0);
        }

        /** The JSON value: a {@link Long} or {@link BigInteger} for numbers, else a string. */
        Object value(ByteBuffer b, int base) {
            int at = base + offset;
            return switch (kind) {
                case HEX, DEC -> number(b, at);
                case IEEE -> (long) (b.get(at) & 0xFF | (b.get(at + 1) & 0xFF) << 8 | (b.get(at + 2) & 0xFF) << 16);
                case ASCII -> string(b, at, size, StandardCharsets.US_ASCII);
                case NQN -> string(b, at, size, StandardCharsets.UTF_8);
                case UUID -> uuid(b, at);
                case U128 -> u128(b, at).toString();
                case BYTES -> hex(b, at, size);
            };
        }

        /** The value as nvme-cli's normal output prints it. */
        String text(ByteBuffer b, int base) {
            Object value = value(b, base);
            return switch (kind) {
                case HEX -> value.equals(0L) ? "0" : "0x" + (value instanceof Long l ? Long.toHexString(l)
                        : ((BigInteger) value).toString(16));
                case IEEE -> String.format("%06x", (Long) value);
                default -> value.toString();
            };
        }

        private Object number(ByteBuffer b, int at) {
            long raw = switch (size) {
                case 1 -> b.get(at) & 0xFFL;
                case 2 -> b.getShort(at) & 0xFFFFL;
                case 4 -> b.getInt(at) & 0xFFFF_FFFFL;
                case 8 -> b.getLong(at);
                default -> throw new IllegalStateException(name + ": no " + size + "-byte integer");
            };
            if (width > 0) {
                return raw >>> shift & ((1L << width) - 1);
            }
            return raw >= 0 ? (Object) raw : new BigInteger(Long.toUnsignedString(raw));
        }
    }

    /** Identify Controller, in nvme-cli's order (which is byte order); the power states follow at 2048. */
    static final List<Field> CONTROLLER = List.of(
            new Field("vid", 0, 2, Kind.HEX),
            new Field("ssvid", 2, 2, Kind.HEX),
            new Field("sn", 4, 20, Kind.ASCII),
            new Field("mn", 24, 40, Kind.ASCII),
            new Field("fr", 64, 8, Kind.ASCII),
            new Field("rab", 72, 1, Kind.DEC),
            new Field("ieee", 73, 3, Kind.IEEE),
            new Field("cmic", 76, 1, Kind.HEX),
            new Field("mdts", 77, 1, Kind.DEC),
            new Field("cntlid", 78, 2, Kind.HEX),
            new Field("ver", 80, 4, Kind.HEX),
            new Field("rtd3r", 84, 4, Kind.HEX),
            new Field("rtd3e", 88, 4, Kind.HEX),
            new Field("oaes", 92, 4, Kind.HEX),
            new Field("ctratt", 96, 4, Kind.HEX),
            new Field("rrls", 100, 2, Kind.HEX),
            new Field("cntrltype", 111, 1, Kind.DEC),
            new Field("fguid", 112, 16, Kind.UUID),
            new Field("crdt1", 128, 2, Kind.DEC),
            new Field("crdt2", 130, 2, Kind.DEC),
            new Field("crdt3", 132, 2, Kind.DEC),
            new Field("nvmsr", 253, 1, Kind.DEC),
            new Field("vwci", 254, 1, Kind.DEC),
            new Field("mec", 255, 1, Kind.DEC),
            new Field("oacs", 256, 2, Kind.HEX),
            new Field("acl", 258, 1, Kind.DEC),
            new Field("aerl", 259, 1, Kind.DEC),
            new Field("frmw", 260, 1, Kind.HEX),
            new Field("lpa", 261, 1, Kind.HEX),
            new Field("elpe", 262, 1, Kind.DEC),
            new Field("npss", 263, 1, Kind.DEC),
            new Field("avscc", 264, 1, Kind.HEX),
            new Field("apsta", 265, 1, Kind.HEX),
            new Field("wctemp", 266, 2, Kind.DEC),
            new Field("cctemp", 268, 2, Kind.DEC),
            new Field("mtfa", 270, 2, Kind.DEC),
            new Field("hmpre", 272, 4, Kind.DEC),
            new Field("hmmin", 276, 4, Kind.DEC),
            new Field("tnvmcap", 280, 16, Kind.U128),
            new Field("unvmcap", 296, 16, Kind.U128),
            new Field("rpmbs", 312, 4, Kind.HEX),
            new Field("edstt", 316, 2, Kind.DEC),
            new Field("dsto", 318, 1, Kind.DEC),
            new Field("fwug", 319, 1, Kind.DEC),
            new Field("kas", 320, 2, Kind.DEC),
            new Field("hctma", 322, 2, Kind.HEX),
            new Field("mntmt", 324, 2, Kind.DEC),
            new Field("mxtmt", 326, 2, Kind.DEC),
            new Field("sanicap", 328, 4, Kind.HEX),
            new Field("hmminds", 332, 4, Kind.DEC),
            new Field("hmmaxd", 336, 2, Kind.DEC),
            new Field("nsetidmax", 338, 2, Kind.DEC),
            new Field("endgidmax", 340, 2, Kind.DEC),
            new Field("anatt", 342, 1, Kind.DEC),
            new Field("anacap", 343, 1, Kind.DEC),
            new Field("anagrpmax", 344, 4, Kind.DEC),
            new Field("nanagrpid", 348, 4, Kind.DEC),
            new Field("pels", 352, 4, Kind.DEC),
            new Field("domainid", 356, 2, Kind.DEC),
            new Field("megcap", 368, 16, Kind.U128),
            new Field("sqes", 512, 1, Kind.HEX),
            new Field("cqes", 513, 1, Kind.HEX),
            new Field("maxcmd", 514, 2, Kind.DEC),
            new Field("nn", 516, 4, Kind.DEC),
            new Field("oncs", 520, 2, Kind.HEX),
            new Field("fuses", 522, 2, Kind.HEX),
            new Field("fna", 524, 1, Kind.HEX),
            new Field("vwc", 525, 1, Kind.HEX),
            new Field("awun", 526, 2, Kind.DEC),
            new Field("awupf", 528, 2, Kind.DEC),
            new Field("icsvscc", 530, 1, Kind.DEC),
            new Field("nwpc", 531, 1, Kind.DEC),
            new Field("acwu", 532, 2, Kind.DEC),
            new Field("ocfs", 534, 2, Kind.HEX),
            new Field("sgls", 536, 4, Kind.HEX),
            new Field("mnan", 540, 4, Kind.DEC),
            new Field("maxdna", 544, 16, Kind.U128),
            new Field("maxcna", 560, 4, Kind.DEC),
            new Field("subnqn", 768, 256, Kind.NQN),
            new Field("ioccsz", 1792, 4, Kind.DEC),
            new Field("iorcsz", 1796, 4, Kind.DEC),
            new Field("icdoff", 1800, 2, Kind.DEC),
            new Field("fcatt", 1802, 1, Kind.HEX),
            new Field("msdbd", 1803, 1, Kind.DEC),
            new Field("ofcs", 1804, 2, Kind.DEC));

    /** The power state descriptors: 32 bytes each from here, NPSS + 1 of them. */
    static final int POWER_STATES_OFFSET = 2048;
    static final int POWER_STATE_LENGTH = 32;

    /** One power state descriptor by nvme-cli's JSON names ({@code psds[]}), offsets within the descriptor. */
    static final List<Field> POWER_STATE = List.of(
            new Field("max_power", 0, 2, Kind.DEC),
            new Field("flags", 3, 1, Kind.DEC),
            new Field("entry_lat", 4, 4, Kind.DEC),
            new Field("exit_lat", 8, 4, Kind.DEC),
            new Field("read_tput", 12, 1, Kind.DEC),
            new Field("read_lat", 13, 1, Kind.DEC),
            new Field("write_tput", 14, 1, Kind.DEC),
            new Field("write_lat", 15, 1, Kind.DEC),
            new Field("idle_power", 16, 2, Kind.DEC),
            new Field("idle_scale", 18, 1, Kind.DEC, 6, 2),
            new Field("active_power", 20, 2, Kind.DEC),
            new Field("active_power_work", 22, 1, Kind.DEC, 0, 3),
            new Field("active_scale", 22, 1, Kind.DEC, 6, 2));

    /** Identify Namespace, in nvme-cli's normal order (the JSON order is {@link #NAMESPACE_JSON_ORDER}). */
    static final List<Field> NAMESPACE = List.of(
            new Field("nsze", 0, 8, Kind.HEX),
            new Field("ncap", 8, 8, Kind.HEX),
            new Field("nuse", 16, 8, Kind.HEX),
            new Field("nsfeat", 24, 1, Kind.HEX),
            new Field("nlbaf", 25, 1, Kind.DEC),
            new Field("flbas", 26, 1, Kind.HEX),
            new Field("mc", 27, 1, Kind.HEX),
            new Field("dpc", 28, 1, Kind.HEX),
            new Field("dps", 29, 1, Kind.HEX),
            new Field("nmic", 30, 1, Kind.HEX),
            new Field("rescap", 31, 1, Kind.HEX),
            new Field("fpi", 32, 1, Kind.HEX),
            new Field("dlfeat", 33, 1, Kind.DEC),
            new Field("nawun", 34, 2, Kind.DEC),
            new Field("nawupf", 36, 2, Kind.DEC),
            new Field("nacwu", 38, 2, Kind.DEC),
            new Field("nabsn", 40, 2, Kind.DEC),
            new Field("nabo", 42, 2, Kind.DEC),
            new Field("nabspf", 44, 2, Kind.DEC),
            new Field("noiob", 46, 2, Kind.DEC),
            new Field("nvmcap", 48, 16, Kind.U128),
            new Field("npwg", 64, 2, Kind.DEC),
            new Field("npwa", 66, 2, Kind.DEC),
            new Field("npdg", 68, 2, Kind.DEC),
            new Field("npda", 70, 2, Kind.DEC),
            new Field("nows", 72, 2, Kind.DEC),
            new Field("mssrl", 74, 2, Kind.DEC),
            new Field("mcl", 76, 4, Kind.DEC),
            new Field("msrc", 80, 1, Kind.DEC),
            new Field("nulbaf", 82, 1, Kind.DEC),
            new Field("anagrpid", 92, 4, Kind.DEC),
            new Field("nsattr", 99, 1, Kind.DEC),
            new Field("nvmsetid", 100, 2, Kind.DEC),
            new Field("endgid", 102, 2, Kind.DEC),
            new Field("nguid", 104, 16, Kind.BYTES),
            new Field("eui64", 120, 8, Kind.BYTES));

    /** nvme-cli 2.3's JSON order of the namespace fields (before {@code lbafs}). */
    static final List<String> NAMESPACE_JSON_ORDER = List.of("nsze", "ncap", "nuse", "nsfeat", "nlbaf", "flbas",
            "mc", "dpc", "dps", "nmic", "rescap", "fpi", "dlfeat", "nawun", "nawupf", "nacwu", "nabsn", "nabo",
            "nabspf", "noiob", "nvmcap", "npwg", "npwa", "npdg", "npda", "nows", "nsattr", "nvmsetid", "mssrl", "mcl",
            "msrc", "nulbaf", "anagrpid", "endgid", "eui64", "nguid");

    /** The namespace fields nvme-cli shows only when NSFEAT bit 4 (OPTPERF) says they are valid. */
    private static final List<String> OPTIMAL_PERFORMANCE = List.of("npwg", "npwa", "npdg", "npda", "nows");
    private static final int NSFEAT_OPTPERF = 0x10;
    private static final int LBAF_OFFSET = 128;
    private static final int LBAF_MAX = 64;

    private IdentifyLayout() {
    }

    /** A little-endian view of a raw structure; at least 4096 bytes. */
    static ByteBuffer wrap(byte[] raw) {
        if (raw.length < 4096) {
            throw new IllegalArgumentException("an Identify structure is 4096 bytes, got " + raw.length);
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------------------------------------- controller

    /** {@code nvme id-ctrl -o json}: every field, then {@code psds}. */
    static Map<String, Object> controllerJson(byte[] raw) {
        ByteBuffer b = wrap(raw);
        Map<String, Object> json = new LinkedHashMap<>();
        for (Field field : CONTROLLER) {
            json.put(field.name(), field.value(b, 0));
        }
        List<Object> psds = new ArrayList<>();
        for (int i = 0; i < powerStates(b); i++) {
            Map<String, Object> psd = new LinkedHashMap<>();
            for (Field field : POWER_STATE) {
                psd.put(field.name(), field.value(b, POWER_STATES_OFFSET + i * POWER_STATE_LENGTH));
            }
            psds.add(psd);
        }
        json.put("psds", psds);
        return json;
    }

    /** {@code nvme id-ctrl}: the lines after the title, {@code %-10s: } then the value, then the power states. */
    static List<String> controllerText(byte[] raw) {
        ByteBuffer b = wrap(raw);
        List<String> lines = new ArrayList<>();
        for (Field field : CONTROLLER) {
            lines.add(String.format("%-10s: %s", field.name(), field.text(b, 0)));
        }
        for (int i = 0; i < powerStates(b); i++) {
            int at = POWER_STATES_OFFSET + i * POWER_STATE_LENGTH;
            int mp = b.getShort(at) & 0xFFFF;
            int flags = b.get(at + 3) & 0xFF;
            String maxPower = (flags & 1) != 0 ? String.format("%d.%04dW", mp / 10000, mp % 10000)
                    : String.format("%d.%02dW", mp / 100, mp % 100);
            lines.add(String.format("ps %6d : mp:%s %soperational enlat:%d exlat:%d rrt:%d rrl:%d", i, maxPower,
                    (flags & 2) != 0 ? "non-" : "", b.getInt(at + 4) & 0xFFFF_FFFFL,
                    b.getInt(at + 8) & 0xFFFF_FFFFL, b.get(at + 12) & 0xFF, b.get(at + 13) & 0xFF));
            int apws = b.get(at + 22) & 0xFF;
            lines.add(String.format("            rwt:%d rwl:%d idle_power:%s active_power:%s",
                    b.get(at + 14) & 0xFF, b.get(at + 15) & 0xFF,
                    power(b.getShort(at + 16) & 0xFFFF, (b.get(at + 18) & 0xFF) >>> 6),
                    power(b.getShort(at + 20) & 0xFFFF, apws >>> 6)));
            lines.add("            active_power_workload:" + switch (apws & 7) {
                case 0 -> "-";
                case 1 -> "1MiB 32 RW, 30s idle";
                case 2 -> "80K 128KiB SW";
                default -> "reserved";
            });
        }
        return lines;
    }

    private static int powerStates(ByteBuffer b) {
        return Math.min((b.get(263) & 0xFF) + 1, 32);
    }

    /** nvme-cli's print_ps_power_and_scale: the scale is 00b not reported, 01b 0.0001 W, 10b 0.01 W. */
    private static String power(int value, int scale) {
        return switch (scale & 3) {
            case 0 -> "-";
            case 1 -> String.format("%d.%04dW", value / 10000, value % 10000);
            case 2 -> String.format("%d.%02dW", value / 100, value % 100);
            default -> "reserved";
        };
    }

    // -------------------------------------------------------------------------------------------------- namespace

    /** {@code nvme id-ns -o json}: the fields in nvme-cli's JSON order, then {@code lbafs} (ms, ds, rp). */
    static Map<String, Object> namespaceJson(byte[] raw) {
        ByteBuffer b = wrap(raw);
        Map<String, Field> byName = new LinkedHashMap<>();
        NAMESPACE.forEach(f -> byName.put(f.name(), f));
        Map<String, Object> json = new LinkedHashMap<>();
        for (String name : NAMESPACE_JSON_ORDER) {
            if (shown(b, name)) {
                json.put(name, byName.get(name).value(b, 0));
            }
        }
        List<Object> lbafs = new ArrayList<>();
        for (int i = 0; i < lbaFormats(b); i++) {
            Map<String, Object> lbaf = new LinkedHashMap<>();
            lbaf.put("ms", (long) (b.getShort(LBAF_OFFSET + 4 * i) & 0xFFFF));
            lbaf.put("ds", (long) (b.get(LBAF_OFFSET + 4 * i + 2) & 0xFF));
            lbaf.put("rp", (long) (b.get(LBAF_OFFSET + 4 * i + 3) & 0x3));
            lbafs.add(lbaf);
        }
        json.put("lbafs", lbafs);
        return json;
    }

    /** {@code nvme id-ns}: the lines after the title, {@code %-8s: } then the value, then one per LBA format. */
    static List<String> namespaceText(byte[] raw) {
        ByteBuffer b = wrap(raw);
        List<String> lines = new ArrayList<>();
        for (Field field : NAMESPACE) {
            if (shown(b, field.name())) {
                // nvme-cli prints this one label with a tab.
                String label = field.name().equals("nsattr") ? "nsattr\t" : String.format("%-8s", field.name());
                lines.add(label + ": " + field.text(b, 0));
            }
        }
        int flbas = b.get(26) & 0xFF;
        int inUse = (flbas & 0x0F) | (flbas >>> 5 & 0x3) << 4;
        for (int i = 0; i < lbaFormats(b); i++) {
            int rp = b.get(LBAF_OFFSET + 4 * i + 3) & 0x3;
            lines.add(String.format("lbaf %2d : ms:%-3d lbads:%-2d rp:%s %s", i, b.getShort(LBAF_OFFSET + 4 * i)
                    & 0xFFFF, b.get(LBAF_OFFSET + 4 * i + 2) & 0xFF, rp == 0 ? "0" : "0x" + rp,
                    i == inUse ? "(in use)" : ""));
        }
        return lines;
    }

    private static boolean shown(ByteBuffer b, String name) {
        return !OPTIMAL_PERFORMANCE.contains(name) || (b.get(24) & NSFEAT_OPTPERF) != 0;
    }

    private static int lbaFormats(ByteBuffer b) {
        return Math.min((b.get(25) & 0xFF) + 1, LBAF_MAX);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static String string(ByteBuffer b, int at, int size, java.nio.charset.Charset charset) {
        int end = 0;
        while (end < size && b.get(at + end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        b.get(at, bytes);
        return new String(bytes, charset);
    }

    private static String uuid(ByteBuffer b, int at) {
        String h = hex(b, at, 16);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private static BigInteger u128(ByteBuffer b, int at) {
        byte[] bigEndian = new byte[17];
        for (int i = 0; i < 16; i++) {
            bigEndian[16 - i] = b.get(at + i);
        }
        return new BigInteger(bigEndian);
    }

    private static String hex(ByteBuffer b, int at, int size) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            text.append(String.format("%02x", b.get(at + i) & 0xFF));
        }
        return text.toString();
    }
}
