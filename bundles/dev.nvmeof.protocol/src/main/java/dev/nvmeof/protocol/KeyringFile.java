package dev.nvmeof.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A file of secrets, one entry per line of whitespace-separated fields, blank lines and {@code #} comments skipped.
 * Like ssh with its keys, it is refused when group or others may read or write it (where the file system has POSIX
 * permissions). Used by the target's DH-HMAC-CHAP keyring and the TLS PSK keyring; what each field means is theirs.
 */
public final class KeyringFile {
    /** One entry: its line number (from 1) and its fields. */
    public record Entry(int line, List<String> fields) {
    }

    private KeyringFile() {
    }

    /**
     * The entries of {@code file}.
     *
     * @param what how messages name the file, e.g. {@code "keyring"}
     * @throws IOException if the file cannot be read or is open to others
     */
    public static List<Entry> read(Path file, String what) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException(what + " " + file + " is open to others ("
                        + PosixFilePermissions.toString(permissions) + "): it holds secrets; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                entries.add(new Entry(n, List.of(line.split("\\s+"))));
            }
        }
        return entries;
    }
}
