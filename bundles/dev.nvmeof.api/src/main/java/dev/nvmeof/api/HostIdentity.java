package dev.nvmeof.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who this host is to every controller: the Host NQN and the Host Identifier sent in the Fabrics Connect data
 * (NVMe over Fabrics 1.1, "Connect Command"). Like Linux's {@code /etc/nvme/hostnqn} and {@code /etc/nvme/hostid},
 * generated once as {@code nqn.2014-08.org.nvmexpress:uuid:<uuid>} and that UUID, and persisted, so a target's
 * access lists and reservations keep recognising the host across restarts.
 *
 * @param hostnqn the Host NQN: starts with {@code nqn.}, at most 223 bytes of UTF-8, no whitespace or commas
 * @param hostid the Host Identifier
 */
@ProviderType
public record HostIdentity(String hostnqn, UUID hostid) {

    /** The file of the Host NQN in the identity directory (as {@code /etc/nvme/hostnqn}). */
    public static final String HOSTNQN_FILE = "hostnqn";
    /** The file of the Host Identifier in the identity directory (as {@code /etc/nvme/hostid}). */
    public static final String HOSTID_FILE = "hostid";
    /** The prefix of a UUID-based NQN (NVMe Base 2.0, 4.5); the UUID follows it. */
    public static final String UUID_NQN_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";

    /** Larger than any valid content: a file bigger than this is not ours. */
    private static final int MAX_FILE_BYTES = 1024;

    /**
     * @throws IllegalArgumentException if {@code hostnqn} is not a valid host NQN
     */
    public HostIdentity {
        Objects.requireNonNull(hostnqn, "hostnqn");
        Objects.requireNonNull(hostid, "hostid");
        String problem = hostnqnProblem(hostnqn);
        if (problem != null) {
            throw new IllegalArgumentException("hostnqn " + problem + ": " + hostnqn);
        }
    }

    /** The identity of {@code hostid} with its UUID-based NQN. */
    public static HostIdentity of(UUID hostid) {
        return new HostIdentity(UUID_NQN_PREFIX + hostid, hostid);
    }

    /** A new random identity, not persisted. */
    public static HostIdentity generate() {
        return of(UUID.randomUUID());
    }

    /**
     * Reads the identity from {@code directory}'s {@value #HOSTNQN_FILE} and {@value #HOSTID_FILE} files, or creates
     * what is missing and persists it (each file written to a temporary file, forced to disk and moved into place
     * atomically). A missing {@code hostid} next to a UUID-based {@code hostnqn} takes that UUID, as nvme-cli does;
     * a missing {@code hostnqn} is the UUID-based NQN of the {@code hostid}. Surrounding whitespace (the trailing
     * newline) in the files is ignored. Meant to be called by one component of one process: two processes creating
     * the identity at the same moment are not coordinated (each file is still whole, the last writer wins).
     *
     * @throws IOException if a file cannot be read or written, or holds something that is not a host NQN or a UUID
     *         (the message names the file)
     */
    public static HostIdentity loadOrCreate(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path nqnFile = directory.resolve(HOSTNQN_FILE);
        Path idFile = directory.resolve(HOSTID_FILE);
        String nqn = read(nqnFile);
        String id = read(idFile);
        if (nqn != null && hostnqnProblem(nqn) != null) {
            throw corrupt(nqnFile, "not a host NQN (" + hostnqnProblem(nqn) + ")", nqn);
        }
        UUID hostid = null;
        if (id != null) {
            try {
                hostid = FabricsOption.parseUuid(id);
            } catch (IllegalArgumentException e) {
                throw corrupt(idFile, e.getMessage(), id);
            }
        }
        if (hostid == null) {
            hostid = nqn != null ? uuidOf(nqn) : null;
            hostid = hostid != null ? hostid : UUID.randomUUID();
            write(idFile, hostid.toString());
        }
        if (nqn == null) {
            nqn = UUID_NQN_PREFIX + hostid;
            write(nqnFile, nqn);
        }
        return new HostIdentity(nqn, hostid);
    }

    /** The UUID of a UUID-based NQN, or null. */
    private static UUID uuidOf(String nqn) {
        if (!nqn.startsWith(UUID_NQN_PREFIX)) {
            return null;
        }
        try {
            return FabricsOption.parseUuid(nqn.substring(UUID_NQN_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hostnqnProblem(String nqn) {
        String problem = FabricsOption.nqnProblem(nqn);
        if (problem != null) {
            return problem;
        }
        if (!nqn.startsWith("nqn.")) {
            return "does not start with \"nqn.\"";
        }
        for (int i = 0; i < nqn.length(); i++) {
            char c = nqn.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',') {
                return "contains whitespace, a control character or a comma";
            }
        }
        return null;
    }

    /** @return the trimmed content, or null if the file does not exist */
    private static String read(Path file) throws IOException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw corrupt(file, size + " bytes, more than an identity file holds", null);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.strip();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "not UTF-8 text", null);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static IOException corrupt(Path file, String problem, String content) {
        return new IOException("corrupt host identity file " + file + ": " + problem
                + (content == null ? "" : ": \"" + content + "\""));
    }
}
