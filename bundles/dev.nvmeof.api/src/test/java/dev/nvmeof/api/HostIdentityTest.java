package dev.nvmeof.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {

    @TempDir
    Path directory;

    @Test
    void shouldCreateOnceAndReadBackTheSameIdentityWhenLoadedAgain() throws Exception {
        Path nested = directory.resolve("etc/nvme");
        HostIdentity created = HostIdentity.loadOrCreate(nested);
        assertEquals(HostIdentity.UUID_NQN_PREFIX + created.hostid(), created.hostnqn());
        assertEquals(created.hostnqn() + "\n", Files.readString(nested.resolve("hostnqn")));
        assertEquals(created.hostid() + "\n", Files.readString(nested.resolve("hostid")));
        assertEquals(created, HostIdentity.loadOrCreate(nested));
        assertEquals(created, HostIdentity.loadOrCreate(nested));
        try (Stream<Path> files = Files.list(nested)) {
            assertEquals(List.of("hostid", "hostnqn"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "no temporary file is left behind");
        }
    }

    @Test
    void shouldReadWhatLinuxWroteWhenBothFilesExist() throws Exception {
        Files.writeString(directory.resolve("hostnqn"), "nqn.2014-08.org.nvmexpress:uuid:0bd2b1a5-1f2e-4e53-9d59-1ad0ee9a5e1b\n");
        Files.writeString(directory.resolve("hostid"), "b3a8c2de-55a6-4f5e-8f6e-1b2c3d4e5f60\n");
        HostIdentity identity = HostIdentity.loadOrCreate(directory);
        assertEquals("nqn.2014-08.org.nvmexpress:uuid:0bd2b1a5-1f2e-4e53-9d59-1ad0ee9a5e1b", identity.hostnqn());
        assertEquals(UUID.fromString("b3a8c2de-55a6-4f5e-8f6e-1b2c3d4e5f60"), identity.hostid());
    }

    @Test
    void shouldTakeTheUuidOfTheNqnWhenOnlyTheHostnqnFileExists() throws Exception {
        Files.writeString(directory.resolve("hostnqn"), "nqn.2014-08.org.nvmexpress:uuid:0bd2b1a5-1f2e-4e53-9d59-1ad0ee9a5e1b\n");
        HostIdentity identity = HostIdentity.loadOrCreate(directory);
        assertEquals(UUID.fromString("0bd2b1a5-1f2e-4e53-9d59-1ad0ee9a5e1b"), identity.hostid());
        assertEquals(identity, HostIdentity.loadOrCreate(directory));
    }

    @Test
    void shouldKeepANamedHostnqnWhenItIsNotUuidBased() throws Exception {
        Files.writeString(directory.resolve("hostnqn"), "nqn.2024-01.dev.nvmeof:host-a");
        HostIdentity identity = HostIdentity.loadOrCreate(directory);
        assertEquals("nqn.2024-01.dev.nvmeof:host-a", identity.hostnqn());
        assertEquals(identity, HostIdentity.loadOrCreate(directory));
    }

    @Test
    void shouldDeriveTheHostnqnWhenOnlyTheHostidFileExists() throws Exception {
        Files.writeString(directory.resolve("hostid"), "b3a8c2de-55a6-4f5e-8f6e-1b2c3d4e5f60");
        HostIdentity identity = HostIdentity.loadOrCreate(directory);
        assertEquals(HostIdentity.UUID_NQN_PREFIX + "b3a8c2de-55a6-4f5e-8f6e-1b2c3d4e5f60", identity.hostnqn());
    }

    @Test
    void shouldRefuseNamingTheFileWhenTheHostidIsCorrupt() throws Exception {
        Files.writeString(directory.resolve("hostnqn"), "nqn.2024-01.dev.nvmeof:host-a\n");
        Files.writeString(directory.resolve("hostid"), "b3a8c2de-55a6-4f5e\n");
        IOException e = assertThrows(IOException.class, () -> HostIdentity.loadOrCreate(directory));
        assertTrue(e.getMessage().contains(directory.resolve("hostid").toString()), e.getMessage());
        assertEquals("b3a8c2de-55a6-4f5e\n", Files.readString(directory.resolve("hostid")), "left as it was");
    }

    @Test
    void shouldRefuseNamingTheFileWhenTheHostnqnIsCorrupt() throws Exception {
        for (String content : new String[] {"", "not an nqn", "hostnqn-without-prefix", "nqn." + "x".repeat(220)}) {
            Files.writeString(directory.resolve("hostnqn"), content);
            IOException e = assertThrows(IOException.class, () -> HostIdentity.loadOrCreate(directory), content);
            assertTrue(e.getMessage().contains(directory.resolve("hostnqn").toString()), e.getMessage());
        }
    }

    @Test
    void shouldRefuseNamingTheFileWhenItIsBinaryOrHuge() throws Exception {
        Files.write(directory.resolve("hostid"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertTrue(assertThrows(IOException.class, () -> HostIdentity.loadOrCreate(directory)).getMessage()
                .contains("hostid"));
        Files.writeString(directory.resolve("hostid"), "a".repeat(5000), StandardCharsets.UTF_8);
        assertTrue(assertThrows(IOException.class, () -> HostIdentity.loadOrCreate(directory)).getMessage()
                .contains("hostid"));
    }

    @Test
    void shouldRefuseAnIdentityWhenTheHostnqnIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> new HostIdentity("host a", UUID.randomUUID()));
        assertThrows(NullPointerException.class, () -> new HostIdentity("nqn.2024-01.a:b", null));
    }
}
