package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key-path extractor, without a guest. */
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
}
