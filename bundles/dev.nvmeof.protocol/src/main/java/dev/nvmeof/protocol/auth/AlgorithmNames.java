package dev.nvmeof.protocol.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Parses an operator's comma-separated list of algorithm names. */
final class AlgorithmNames {
    private AlgorithmNames() {
    }

    static <T> List<T> parse(String list, String kind, Function<String, Optional<T>> byName, String known) {
        List<T> parsed = new ArrayList<>();
        for (String name : list.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            T value = byName.apply(name).orElseThrow(() -> new IllegalArgumentException("unknown DH-HMAC-CHAP "
                    + kind + " '" + name.trim() + "': expected one or more of " + known));
            if (!parsed.contains(value)) {
                parsed.add(value);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no DH-HMAC-CHAP " + kind + " given: expected one or more of " + known);
        }
        return List.copyOf(parsed);
    }
}
