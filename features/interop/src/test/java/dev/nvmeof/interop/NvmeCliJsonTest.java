package dev.nvmeof.interop;

import dev.nvmeof.testkit.NvmeCliJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.interop.NvmeCliJsonKeysTest.Command;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/** The key-path extractor and the shape comparison, without a guest (the recorded nvme-cli outputs serve as data). */
class NvmeCliJsonTest {

    @Test
    void shouldListEveryKeyInFirstSeenOrderWhenObjectsNest() {
        assertEquals(List.of("a", "b", "b.c", "b.d", "b.d.e", "f"),
                NvmeCliJson.keyPaths("{\"a\":1,\"b\":{\"c\":\"x\",\"d\":{\"e\":null}},\"f\":true}"));
    }

    @Test
    void shouldMergeArrayElementsUnderBracketsWhenElementsDifferInKeys() {
        assertEquals(List.of("Devices", "Devices[]", "Devices[].NameSpace", "Devices[].Extra", "Devices[].Late",
                "Devices[].Late[]"),
                NvmeCliJson.keyPaths("{\"Devices\":[{\"NameSpace\":1},{\"NameSpace\":2,\"Extra\":0},"
                        + "{\"Late\":[]}]}"));
    }

    @Test
    void shouldStartPathsWithBracketsWhenTheDocumentIsAnArray() {
        assertEquals(List.of("[]", "[].HostNQN", "[].Subsystems", "[].Subsystems[]", "[].Subsystems[].Name"),
                NvmeCliJson.keyPaths("[{\"HostNQN\":\"h\",\"Subsystems\":[{\"Name\":\"s\"}]}]"));
        assertEquals(List.of("[]", "[][]"), NvmeCliJson.keyPaths("[[1],[2]]"));
        assertEquals(List.of("[]"), NvmeCliJson.keyPaths("[\n]\n"));
    }

    @Test
    void shouldHaveNoPathsWhenTheDocumentIsAScalarOrAnEmptyObject() {
        assertEquals(List.of(), NvmeCliJson.keyPaths(" {} "));
        assertEquals(List.of(), NvmeCliJson.keyPaths("-12.5e+3"));
        assertEquals(List.of(), NvmeCliJson.keyPaths("\"s\""));
    }

    @Test
    void shouldRecordTheValueTypesOfEachPathWhenValuesDiffer() {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("r", Set.of("array"));
        expected.put("r[]", Set.of("object"));
        expected.put("r[].v", Set.of("number", "string"));
        expected.put("r[].n", Set.of("null"));
        expected.put("e", Set.of("array"));
        expected.put("e[]", Set.of());
        expected.put("b", Set.of("boolean"));
        Map<String, Set<String>> types = NvmeCliJson.keyPathTypes(
                "{\"r\":[{\"v\":0,\"n\":null},{\"v\":\"0\"}],\"e\":[],\"b\":false}");
        assertEquals(expected, types);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(types.keySet()));
        assertEquals(List.of("number", "string"), List.copyOf(types.get("r[].v")), "types in the order met");
    }

    @Test
    void shouldDecodeEscapesInKeysWhenTheyAreValid() {
        assertEquals(List.of("a\"b", "A/\\\n\u00e9"),
                NvmeCliJson.keyPaths("{\"a\\\"b\":\"\\t\\b\\f\\r\",\"\\u0041\\/\\\\\\n\u00e9\":0}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "{'a':1}", "[01]", "[1.]",
        "[.5]", "[-]", "[1e]", "[+1]", "[NaN]", "[Infinity]", "[tru]", "[nul]", "{\"a\":1} x", "{} {}",
        "// c\n{}", "{\"a\":1 /* c */}", "[\"unterminated]", "[\"tab\there\"]", "[\"\\x\"]", "[\"\\u12G4\"]",
        "{\"a\":1,\"a\":2}", "[1 2]", "{\"a\":1\"b\":2}", "[\u00a0]"})
    void shouldRejectTheDocumentWhenItIsNotStrictJson(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NvmeCliJson.keyPaths(text));
        assertTrue(e.getMessage().matches("JSON: .* at offset \\d+ \\(line \\d+\\)"), e.getMessage());
    }

    @Test
    void shouldNameTheDuplicateKeyAndItsOffsetWhenAKeyRepeats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NvmeCliJson.keyPaths("{\n\"a\":1,\n\"a\":2}"));
        assertEquals("JSON: duplicate key \"a\" at offset 9 (line 3)", e.getMessage());
    }

    @Test
    void shouldAllowTheSameKeyInSiblingObjectsWhenElementsMerge() {
        assertEquals(List.of("[]", "[].a"), NvmeCliJson.keyPaths("[{\"a\":1},{\"a\":2}]"));
    }

    // The recorded nvme-cli 2.3 outputs (src/test/resources/nvme-cli-2.3/) as data.

    @Test
    void shouldFindTheKnownKeyPathsWhenReadingTheRecordedNvmeCliOutputs() {
        assertEquals(List.of("Devices", "Devices[]", "Devices[].NameSpace", "Devices[].DevicePath",
                "Devices[].Firmware", "Devices[].ModelNumber", "Devices[].SerialNumber", "Devices[].UsedBytes",
                "Devices[].MaximumLBA", "Devices[].PhysicalSize", "Devices[].SectorSize"),
                NvmeCliJson.keyPaths(Command.LIST.recorded()));
        List<String> idCtrl = NvmeCliJson.keyPaths(Command.ID_CTRL.recorded());
        assertEquals(100, idCtrl.size());
        assertEquals(List.of("vid", "ssvid", "sn", "mn", "fr"), idCtrl.subList(0, 5));
        assertEquals("psds[].active_scale", idCtrl.get(idCtrl.size() - 1));
        assertTrue(idCtrl.contains("psds[].max_power"));
        Map<String, Set<String>> idNs = NvmeCliJson.keyPathTypes(Command.ID_NS.recorded());
        assertEquals(Set.of("string"), idNs.get("nvmcap"), "128-bit values are strings in nvme-cli 2.3");
        assertEquals(List.of("lbafs", "lbafs[]", "lbafs[].ms", "lbafs[].ds", "lbafs[].rp"),
                List.copyOf(idNs.keySet()).subList(idNs.size() - 5, idNs.size()));
        Map<String, Set<String>> smart = NvmeCliJson.keyPathTypes(Command.SMART_LOG.recorded());
        assertEquals(22, smart.size());
        assertEquals(Set.of("string"), smart.get("data_units_read"));
        assertEquals(Set.of("number"), smart.get("temperature"));
        assertEquals(List.of("genctr", "records", "records[]", "records[].trtype", "records[].adrfam",
                "records[].subtype", "records[].treq", "records[].portid", "records[].trsvcid", "records[].subnqn",
                "records[].traddr", "records[].eflags", "records[].sectype"),
                NvmeCliJson.keyPaths(Command.DISCOVER.recorded()));
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void shouldAcceptOurShellWhenItPrintsNvmeCliOwnOutput(Command command) {
        NvmeCliJsonKeysTest.assertOurShellMatchesNvmeCli(command, command.recorded(), command.recorded());
    }

    @Test
    void shouldAcceptOurShellWhenOnlyValuesAndArrayLengthsDiffer() {
        String nvmeCli = "{\"Devices\":[{\"NameSpace\":1,\"SerialNumber\":\"ab\"}]}";
        String ours = "{ \"Devices\" : [ {\"NameSpace\":7,\"SerialNumber\":\"zz\"}, {\"NameSpace\":8,"
                + "\"SerialNumber\":\"\"} ] }";
        assertEquals(List.of(), NvmeCliJsonKeysTest.shapeDifferences(nvmeCli, ours));
    }

    @Test
    void shouldNameMissingExtraAndRetypedKeysWhenOurShellDiffers() {
        String nvmeCli = "{\"nsze\":1,\"nvmcap\":\"0\",\"lbafs\":[{\"ms\":0}]}";
        String ours = "{\"nsze\":1,\"nvmcap\":0,\"lbafs\":[{\"ms\":0,\"lbads\":9}],\"x\":{}}";
        assertEquals(List.of("extra lbafs[].lbads", "extra x", "type of nvmcap: number instead of string"),
                NvmeCliJsonKeysTest.shapeDifferences(nvmeCli, ours));
        assertEquals(List.of("missing lbafs[].ms"),
                NvmeCliJsonKeysTest.shapeDifferences(nvmeCli, "{\"nsze\":1,\"nvmcap\":\"0\",\"lbafs\":[{}]}"));
    }

    @Test
    void shouldNameTheFirstMisplacedKeyWhenOurShellPrintsKeysInAnotherOrder() {
        assertEquals(List.of("order: key path 1 is c instead of b"), NvmeCliJsonKeysTest.shapeDifferences(
                "{\"a\":1,\"b\":2,\"c\":3}", "{\"a\":1,\"c\":3,\"b\":2}"));
    }

    @Test
    void shouldFailWithTheDifferencesWhenOurShellPrintsInvalidOrDifferentJson() {
        AssertionFailedError invalid = assertThrows(AssertionFailedError.class, () -> NvmeCliJsonKeysTest
                .assertOurShellMatchesNvmeCli(Command.SMART_LOG, Command.SMART_LOG.recorded(), "{\"a\":1,}"));
        assertTrue(invalid.getMessage().startsWith("SMART_LOG (nvme smart-log /dev/nvme0 -o json): our shell vs"
                + " nvme-cli: not valid JSON: JSON: a key expected at offset 7"), invalid.getMessage());
        String renamed = Command.ID_CTRL.recorded().replace("\"max_power\"", "\"maxPower\"");
        AssertionFailedError different = assertThrows(AssertionFailedError.class,
                () -> NvmeCliJsonKeysTest.assertOurShellMatchesNvmeCli(Command.ID_CTRL, Command.ID_CTRL.recorded(),
                        renamed));
        assertTrue(different.getMessage().contains(": missing psds[].max_power; extra psds[].maxPower\n"),
                different.getMessage());
    }
}
