package dev.nvmeof.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Hash and DH group names as an operator writes them (nvmet's configfs, nvme-cli, the NVMe specification). */
class AlgorithmNamesTest {

    @Test
    void shouldKnowEachHashByNvmetsNvmeClisAndTheSpecificationsName() {
        for (String name : List.of("sha384", "SHA-384", "hmac(sha384)", " HMAC(SHA-384) ")) {
            assertEquals(Optional.of(DhchapHash.SHA_384), DhchapHash.named(name), name);
        }
        assertEquals(Optional.of(DhchapHash.SHA_256), DhchapHash.named("hmac(sha256)"));
        assertEquals(Optional.of(DhchapHash.SHA_512), DhchapHash.named("sha512"));
        assertEquals(Optional.empty(), DhchapHash.named("sha1"));
        assertEquals(Optional.empty(), DhchapHash.named("hmac(sha384"));
    }

    @Test
    void shouldKnowEachGroupByItsName() {
        for (DhGroup group : DhGroup.values()) {
            assertEquals(Optional.of(group), DhGroup.named(group.groupName().toUpperCase()), group.groupName());
        }
        assertEquals(Optional.empty(), DhGroup.named("ffdhe1024"));
    }

    @Test
    void shouldKeepTheListsOrderAndDropRepeats() {
        assertEquals(List.of(DhchapHash.SHA_256, DhchapHash.SHA_512),
                DhchapHash.listOf("sha256, hmac(sha512),SHA-256,"));
        assertEquals(List.of(DhGroup.NULL, DhGroup.FFDHE8192), DhGroup.listOf("null,ffdhe8192"));
    }

    @Test
    void shouldNameTheUnknownEntryOrTheEmptyList() {
        assertEquals("unknown DH-HMAC-CHAP hash 'md5': expected one or more of sha256, sha384, sha512",
                assertThrows(IllegalArgumentException.class, () -> DhchapHash.listOf("sha256, md5")).getMessage());
        assertEquals("no DH-HMAC-CHAP DH group given: expected one or more of null, ffdhe2048, ffdhe3072,"
                + " ffdhe4096, ffdhe6144, ffdhe8192",
                assertThrows(IllegalArgumentException.class, () -> DhGroup.listOf(" , ")).getMessage());
    }
}
