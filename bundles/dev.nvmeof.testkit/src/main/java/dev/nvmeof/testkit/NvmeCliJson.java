package dev.nvmeof.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a JSON document such as nvme-cli's {@code -o json} output: the ordered set of its key paths, so two
 * documents (nvme-cli's and our shell's) can be compared by structure rather than by value.
 *
 * <p>A key path joins object keys with {@code .}; an array adds {@code []} and merges all its elements, so
 * {@code {"Devices":[{"NameSpace":1},{"NameSpace":2,"Extra":0}]}} gives {@code Devices}, {@code Devices[]},
 * {@code Devices[].NameSpace}, {@code Devices[].Extra}. Every key is listed (containers too), in the order first
 * met. A top-level array starts its paths with {@code []}. Of the values only their JSON types are kept
 * ({@link #keyPathTypes}): nvme-cli prints 128-bit counters as strings ({@code "tnvmcap":"0"}), so a shell that
 * prints them as numbers has the same key paths but not the same types.
 *
 * <p>The parser is strict (RFC 8259): one value, surrounded only by whitespace; no comments, trailing commas, single
 * quotes, NaN or leading zeros; a duplicate key within one object is an error too (json-c, which nvme-cli uses,
 * cannot emit one). Errors are {@link IllegalArgumentException}s that name the offset.
 */
public final class NvmeCliJson {
    private final String text;
    private final Map<String, Set<String>> paths = new LinkedHashMap<>();
    private int pos;

    private NvmeCliJson(String text) {
        this.text = text;
    }

    /** The ordered set of key paths of {@code json}. */
    public static List<String> keyPaths(String json) {
        return List.copyOf(keyPathTypes(json).keySet());
    }

    /**
     * The key paths of {@code json} in order, each with the JSON types its values had, in the order met:
     * {@code object}, {@code array}, {@code string}, {@code number}, {@code boolean}, {@code null}. An array's
     * {@code path[]} holds its elements' types (none for an array that is always empty).
     */
    public static Map<String, Set<String>> keyPathTypes(String json) {
        NvmeCliJson parser = new NvmeCliJson(json);
        parser.skipWhitespace();
        parser.value("");
        parser.skipWhitespace();
        if (parser.pos != json.length()) {
            throw parser.error("trailing content");
        }
        Map<String, Set<String>> result = new LinkedHashMap<>();
        parser.paths.forEach((path, types) -> result.put(path, Collections.unmodifiableSet(types)));
        return Collections.unmodifiableMap(result);
    }

    /** The key paths {@code expected} has and {@code actual} lacks, then those {@code actual} has in excess. */
    public static String describeDifference(List<String> expected, List<String> actual) {
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        return "missing " + missing + ", unexpected " + extra;
    }

    private void value(String path) {
        if (pos >= text.length()) {
            throw error("a value expected");
        }
        char c = text.charAt(pos);
        String type = switch (c) {
            case '{' -> "object";
            case '[' -> "array";
            case '"' -> "string";
            case 't', 'f' -> "boolean";
            case 'n' -> "null";
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield "number";
                }
                throw error("unexpected character '" + c + "'");
            }
        };
        if (!path.isEmpty()) {
            paths.get(path).add(type);
        }
        switch (c) {
            case '{' -> object(path);
            case '[' -> array(path);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(String path) {
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        Set<String> seen = new HashSet<>();
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("a key expected");
            }
            int keyAt = pos;
            String key = string();
            if (!seen.add(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            String child = path.isEmpty() ? key : path + "." + key;
            paths.computeIfAbsent(child, p -> new LinkedHashSet<>());
            skipWhitespace();
            expect(':');
            skipWhitespace();
            value(child);
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return;
            }
        }
    }

    private void array(String path) {
        pos++; // '['
        String element = path + "[]";
        paths.computeIfAbsent(element, p -> new LinkedHashSet<>());
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            value(element);
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return;
            }
        }
    }

    private String string() {
        pos++; // '"'
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            } else if (c < 0x20) {
                pos--;
                throw error("unescaped control character in a string");
            } else if (c != '\\') {
                out.append(c);
            } else {
                char e = pos < text.length() ? text.charAt(pos++) : 0;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> {
                        pos--;
                        throw error("bad escape");
                    }
                }
            }
        }
    }

    private void number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("a digit expected");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("a digit expected after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("a digit expected in the exponent");
            }
        }
        if (pos == start) {
            throw error("a number expected");
        }
    }

    private boolean digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos + " (line " + line + ")");
    }
}
