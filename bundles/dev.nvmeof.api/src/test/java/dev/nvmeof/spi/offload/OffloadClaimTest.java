package dev.nvmeof.spi.offload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;

class OffloadClaimTest {

    private static ConnectRequest request(Set<String> requested) throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,nqn=testnqn,hdr_digest");
        return new ConnectRequest(options, new InetSocketAddress("127.0.0.1", 4420), null, null, requested);
    }

    private static OffloadClaim claim(Set<String> honoured) throws Exception {
        return new OffloadClaim("p1p1", InetAddress.getByName("127.0.0.2"), 24, 25_000_000_000L, 8, 0, honoured);
    }

    @Test
    void shouldHonourTheRequestWhenEveryRequestedOptionIsHonoured() throws Exception {
        assertTrue(claim(Set.of("hdr_digest", "tos")).honoursAll(request(Set.of("hdr_digest"))));
        assertTrue(claim(Set.of()).honoursAll(request(Set.of())));
    }

    @Test
    void shouldNotHonourTheRequestWhenOneRequestedOptionIsMissing() throws Exception {
        assertFalse(claim(Set.of("hdr_digest")).honoursAll(request(Set.of("hdr_digest", "tos"))));
    }

    @Test
    void shouldRefuseFactsOutOfRange() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        assertThrows(IllegalArgumentException.class, () -> new OffloadClaim("p1p1", local, 129, 1, 1, 0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new OffloadClaim("p1p1", local, 24, -1, 1, 0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new OffloadLimits(511, 1, 1, false));
    }
}
