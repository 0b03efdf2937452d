package dev.nvmeof.shell.internal;

import dev.nvmeof.testkit.NvmeCliJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyControllerFlyweight;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.IdentifyNamespaceFlyweight;
import dev.nvmeof.protocol.LbaFormat;

/**
 * The table decoder against structures written by the protocol's flyweights: every modelled field lands at its
 * nvme-cli key, and the structures our target returned when nvme-cli 2.3 was recorded decode to nvme-cli's bytes,
 * normal and JSON ({@code src/test/resources/nvme-cli-2.3/}).
 */
class IdentifyLayoutTest {

    @Test
    void shouldPutEveryModelledControllerFieldAtItsNvmeCliKey() {
        IdentifyController id = IdentifyController.builder().vid(0x1af4).ssvid(0x1af5).sn("SN-1").mn("model")
                .fr("1.2").rab(3).ieee(0x123456).cmic(0xb).mdts(5).cntlid(0x2661).ver(0x20000).rtd3r(7).rtd3e(8)
                .oaes(0x100).ctratt(0x80).cntrltype(1).oacs(0x1e).acl(9).aerl(10).frmw(0x11).lpa(0x12).elpe(13)
                .npss(2).kas(14).sqes(0x66).cqes(0x44).maxcmd(128).nn(1024).oncs(0xc).fuses(1).fna(0x15).vwc(1)
                .awun(16).awupf(17).nvscc(1).acwu(18).sgls(0x100001).mnan(19).subnqn("nqn.x:y").ioccsz(516)
                .iorcsz(1).icdoff(20).fcatt(1).msdbd(21).ofcs(22).build();
        byte[] raw = new byte[4096];
        new IdentifyControllerFlyweight().wrap(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), 0).write(id);

        Map<String, Object> json = IdentifyLayout.controllerJson(raw);

        Map<String, Object> expected = Map.ofEntries(Map.entry("vid", 0x1af4L), Map.entry("ssvid", 0x1af5L),
                Map.entry("sn", "SN-1                "), Map.entry("mn", "model" + " ".repeat(35)),
                Map.entry("fr", "1.2     "), Map.entry("rab", 3L), Map.entry("ieee", 0x123456L),
                Map.entry("cmic", 0xbL), Map.entry("mdts", 5L), Map.entry("cntlid", 0x2661L),
                Map.entry("ver", 0x20000L), Map.entry("rtd3r", 7L), Map.entry("rtd3e", 8L), Map.entry("oaes", 0x100L),
                Map.entry("ctratt", 0x80L), Map.entry("cntrltype", 1L), Map.entry("oacs", 0x1eL),
                Map.entry("acl", 9L), Map.entry("aerl", 10L), Map.entry("frmw", 0x11L), Map.entry("lpa", 0x12L),
                Map.entry("elpe", 13L), Map.entry("npss", 2L), Map.entry("kas", 14L), Map.entry("sqes", 0x66L),
                Map.entry("cqes", 0x44L), Map.entry("maxcmd", 128L), Map.entry("nn", 1024L), Map.entry("oncs", 0xcL),
                Map.entry("fuses", 1L), Map.entry("fna", 0x15L), Map.entry("vwc", 1L), Map.entry("awun", 16L),
                Map.entry("awupf", 17L), Map.entry("icsvscc", 1L), Map.entry("acwu", 18L),
                Map.entry("sgls", 0x100001L), Map.entry("mnan", 19L), Map.entry("subnqn", "nqn.x:y"),
                Map.entry("ioccsz", 516L), Map.entry("iorcsz", 1L), Map.entry("icdoff", 20L), Map.entry("fcatt", 1L),
                Map.entry("msdbd", 21L), Map.entry("ofcs", 22L));
        expected.forEach((key, value) -> assertEquals(value, json.get(key), key));
        assertEquals(3, ((List<?>) json.get("psds")).size(), "NPSS 2: three power states");
        assertEquals("000000", text(IdentifyLayout.controllerText(raw), "fguid").substring(0, 6));
        assertEquals("123456", text(IdentifyLayout.controllerText(raw), "ieee"));
        assertEquals("0x20000", text(IdentifyLayout.controllerText(raw), "ver"));
        assertEquals("128", text(IdentifyLayout.controllerText(raw), "maxcmd"));
    }

    @Test
    void shouldDecodeTheFieldsTheProtocolRecordLacksFromTheirOffsets() {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(100, (short) 0x1234);                                   // rrls
        b.put(112, HexFormat.of().parseHex("00112233445566778899aabbccddeeff")); // fguid
        b.putShort(128, (short) 1).putShort(130, (short) 2).putShort(132, (short) 3); // crdt1-3
        b.put(253, (byte) 4).put(254, (byte) 5).put(255, (byte) 6);       // nvmsr, vwci, mec
        b.putLong(280, -1L).putLong(288, 1L);                              // tnvmcap = 2^65 - 1
        b.putLong(296, 4096);                                              // unvmcap
        b.putShort(356, (short) 7);                                        // domainid
        b.putLong(368, 8);                                                 // megcap
        b.putShort(534, (short) 9);                                        // ocfs
        b.putLong(544, 10);                                                // maxdna
        b.putInt(560, 11);                                                 // maxcna
        b.put(263, (byte) 0);                                              // npss 0: one power state
        b.putShort(2048, (short) 2500).put(2048 + 3, (byte) 0).putInt(2048 + 4, 12).putInt(2048 + 8, 13)
                .put(2048 + 12, (byte) 14).putShort(2048 + 16, (short) 300).put(2048 + 18, (byte) 0x80)
                .putShort(2048 + 20, (short) 900).put(2048 + 22, (byte) 0x42);

        Map<String, Object> json = IdentifyLayout.controllerJson(b.array());

        assertEquals(0x1234L, json.get("rrls"));
        assertEquals("00112233-4455-6677-8899-aabbccddeeff", json.get("fguid"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(json.get("crdt1"), json.get("crdt2"),
                json.get("crdt3"), json.get("nvmsr"), json.get("vwci"), json.get("mec")));
        assertEquals(BigInteger.TWO.pow(65).subtract(BigInteger.ONE).toString(), json.get("tnvmcap"));
        assertEquals(List.of("4096", 7L, "8", 9L, "10", 11L), List.of(json.get("unvmcap"), json.get("domainid"),
                json.get("megcap"), json.get("ocfs"), json.get("maxdna"), json.get("maxcna")));
        Map<?, ?> psd = (Map<?, ?>) ((List<?>) json.get("psds")).get(0);
        assertEquals(List.of(2500L, 0L, 12L, 13L, 14L, 300L, 2L, 900L, 2L, 1L), List.of(psd.get("max_power"),
                psd.get("flags"), psd.get("entry_lat"), psd.get("exit_lat"), psd.get("read_tput"),
                psd.get("idle_power"), psd.get("idle_scale"), psd.get("active_power"), psd.get("active_power_work"),
                psd.get("active_scale")));
        List<String> text = IdentifyLayout.controllerText(b.array());
        assertEquals("0x1234", text(text, "rrls"));
        assertEquals("ps      0 : mp:25.00W operational enlat:12 exlat:13 rrt:14 rrl:0", text.get(text.size() - 3));
        assertEquals("            rwt:0 rwl:0 idle_power:3.00W active_power:0.0900W", text.get(text.size() - 2));
        assertEquals("            active_power_workload:80K 128KiB SW", text.get(text.size() - 1));
    }

    @Test
    void shouldPutEveryModelledNamespaceFieldAtItsNvmeCliKey() {
        IdentifyNamespace ns = IdentifyNamespace.builder().nsze(0x20000).ncap(0x1f000).nuse(0x1000).nsfeat(0x10)
                .flbas(1).mc(2).dpc(3).dps(4).nmic(1).rescap(5).fpi(0x80).dlfeat(9).nawun(10).nawupf(11).nacwu(12)
                .nabsn(13).nabo(14).nabspf(15).noiob(16).nvmcap(BigInteger.valueOf(64L << 20)).npwg(17).npwa(18)
                .npdg(19).npda(20).nows(21).anagrpid(22).nsattr(1).nvmsetid(23).endgid(24)
                .nguid(HexFormat.of().parseHex("3fd9903fe2a232e982b990a774295ceb"))
                .eui64(HexFormat.of().parseHex("0102030405060708"))
                .lbaFormats(List.of(LbaFormat.ofBlockSize(512), new LbaFormat(8, 12, 2))).build();
        byte[] raw = new byte[4096];
        new IdentifyNamespaceFlyweight().wrap(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), 0).write(ns);

        Map<String, Object> json = IdentifyLayout.namespaceJson(raw);

        Map<String, Object> expected = Map.ofEntries(Map.entry("nsze", 0x20000L), Map.entry("ncap", 0x1f000L),
                Map.entry("nuse", 0x1000L), Map.entry("nsfeat", 0x10L), Map.entry("nlbaf", 1L),
                Map.entry("flbas", 1L), Map.entry("mc", 2L), Map.entry("dpc", 3L), Map.entry("dps", 4L),
                Map.entry("nmic", 1L), Map.entry("rescap", 5L), Map.entry("fpi", 0x80L), Map.entry("dlfeat", 9L),
                Map.entry("nawun", 10L), Map.entry("nawupf", 11L), Map.entry("nacwu", 12L), Map.entry("nabsn", 13L),
                Map.entry("nabo", 14L), Map.entry("nabspf", 15L), Map.entry("noiob", 16L),
                Map.entry("nvmcap", String.valueOf(64L << 20)), Map.entry("npwg", 17L), Map.entry("npwa", 18L),
                Map.entry("npdg", 19L), Map.entry("npda", 20L), Map.entry("nows", 21L), Map.entry("anagrpid", 22L),
                Map.entry("nsattr", 1L), Map.entry("nvmsetid", 23L), Map.entry("endgid", 24L),
                Map.entry("nguid", "3fd9903fe2a232e982b990a774295ceb"), Map.entry("eui64", "0102030405060708"),
                Map.entry("lbafs", List.of(Map.of("ms", 0L, "ds", 9L, "rp", 0L), Map.of("ms", 8L, "ds", 12L,
                        "rp", 2L))));
        expected.forEach((key, value) -> assertEquals(value, json.get(key), key));
        List<String> text = IdentifyLayout.namespaceText(raw);
        assertEquals("0x20000", text(text, "nsze"));
        assertEquals("17", text(text, "npwg"), "shown: NSFEAT bit 4 set");
        assertEquals("1", text.stream().filter(l -> l.startsWith("nsattr\t: ")).findFirst().orElseThrow()
                .substring("nsattr\t: ".length()));
        assertEquals("lbaf  0 : ms:0   lbads:9  rp:0 ", text.get(text.size() - 2));
        assertEquals("lbaf  1 : ms:8   lbads:12 rp:0x2 (in use)", text.get(text.size() - 1));
    }

    @Test
    void shouldPrintNvmeCliBytesForTheControllerNvmeCliSawFromOurTarget() {
        byte[] raw = recordedController();

        assertEquals(resource("id-ctrl.json"), Json.write(IdentifyLayout.controllerJson(raw)) + "\n");
        assertEquals(resource("id-ctrl.txt"),
                "NVME Identify Controller:\n" + String.join("\n", IdentifyLayout.controllerText(raw)) + "\n");
    }

    @Test
    void shouldPrintNvmeCliBytesForTheNamespaceNvmeCliSawFromOurTarget() {
        byte[] raw = recordedNamespace();

        assertEquals(resource("id-ns.json"), Json.write(IdentifyLayout.namespaceJson(raw)) + "\n");
        assertEquals(resource("id-ns.txt"),
                "NVME Identify Namespace 1:\n" + String.join("\n", IdentifyLayout.namespaceText(raw)) + "\n");
    }

    @Test
    void shouldHaveNvmeCliKeyPathsAndTypesForAnyStructureWithOnePowerStateAndOneLbaFormat() {
        byte[] zero = new byte[4096];

        assertEquals(NvmeCliJson.keyPathTypes(resource("id-ctrl.json")),
                NvmeCliJson.keyPathTypes(Json.write(IdentifyLayout.controllerJson(zero))));
        assertEquals(List.copyOf(NvmeCliJson.keyPaths(resource("id-ctrl.json"))),
                NvmeCliJson.keyPaths(Json.write(IdentifyLayout.controllerJson(zero))));
        assertEquals(100, NvmeCliJson.keyPaths(resource("id-ctrl.json")).size());
        assertEquals(NvmeCliJson.keyPathTypes(resource("id-ns.json")),
                NvmeCliJson.keyPathTypes(Json.write(IdentifyLayout.namespaceJson(zero))));
        assertEquals(NvmeCliJson.keyPaths(resource("id-ns.json")),
                NvmeCliJson.keyPaths(Json.write(IdentifyLayout.namespaceJson(zero))));
        assertEquals(36, NvmeCliJson.keyPaths(resource("id-ns.json")).size());
    }

    /** Our target's Identify Controller as nvme-cli 2.3 recorded it (id-ctrl.txt), through the flyweight. */
    static byte[] recordedController() {
        IdentifyController id = IdentifyController.builder().sn("ab374539").mn("nvmeof-offload target").fr("0.1")
                .mdts(8).cntlid(0x2661).ver(0x10300).oaes(0x100).cntrltype(1).aerl(3).lpa(4).kas(10).sqes(0x66)
                .cqes(0x44).maxcmd(128).nn(1024).oncs(0xc).vwc(1).sgls(0x100001).subnqn("testnqn").ioccsz(516)
                .iorcsz(1).msdbd(1).build();
        byte[] raw = new byte[4096];
        new IdentifyControllerFlyweight().wrap(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), 0).write(id);
        return raw;
    }

    /** Our target's Identify Namespace 1 as nvme-cli 2.3 recorded it (id-ns.txt). */
    static byte[] recordedNamespace() {
        IdentifyNamespace ns = IdentifyNamespace.builder().nsze(0x20000).ncap(0x20000).nuse(0x20000).dlfeat(9)
                .nguid(HexFormat.of().parseHex("3fd9903fe2a232e982b990a774295ceb")).build();
        byte[] raw = new byte[4096];
        new IdentifyNamespaceFlyweight().wrap(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), 0).write(ns);
        return raw;
    }

    /** The value of {@code name}'s line in normal output ({@code name} padded, then {@code : }). */
    private static String text(List<String> lines, String name) {
        return lines.stream().filter(l -> l.matches(name + " *: .*")).findFirst().orElseThrow(() ->
                new AssertionError("no line " + name + " in " + lines)).replaceFirst("^[^:]*: ", "");
    }

    static String resource(String name) {
        try (InputStream in = IdentifyLayoutTest.class.getResourceAsStream("/nvme-cli-2.3/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource /nvme-cli-2.3/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
