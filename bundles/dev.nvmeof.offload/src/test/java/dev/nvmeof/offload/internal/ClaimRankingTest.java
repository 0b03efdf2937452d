package dev.nvmeof.offload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.offload.internal.RankingReport.Outcome;
import dev.nvmeof.spi.offload.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ClaimRankingTest {

    /** A driver with its service properties, as the ranking is given it. */
    static final class Entrant {
        final FakeDriver driver;
        int serviceRanking;
        long serviceId;

        Entrant(String name, long serviceId) {
            this.driver = new FakeDriver(name);
            this.serviceId = serviceId;
        }

        Candidate candidate(ConnectRequest request) {
            return driver.claims
                    ? Candidate.claimed(driver, driver.name, driver.claim(request), driver.policy, serviceRanking,
                            serviceId)
                    : Candidate.declined(driver, driver.name, "no route to 127.0.1.1", serviceRanking, serviceId);
        }
    }

    static ConnectRequest request(String extraOptions) throws Exception {
        ConnectOptions options = ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn"
                + extraOptions);
        return OffloadTransport.request(options);
    }

    static RankingReport rank(ConnectRequest request, Entrant... entrants) throws Exception {
        List<Candidate> candidates = new ArrayList<>();
        for (Entrant entrant : entrants) {
            candidates.add(entrant.candidate(request));
        }
        return ClaimRanking.rank(request, candidates, List.of());
    }

    /** Sets one fact of a criterion to its better (true) or worse (false) value. */
    static BiConsumer<Entrant, Boolean> fact(Criterion criterion) {
        return switch (criterion) {
            case HONOURS_OPTIONS -> (e, better) -> e.driver.unsupported = better ? Set.of() : Set.of("tos");
            case ROUTE_PREFIX -> (e, better) -> e.driver.prefix = better ? 24 : 16;
            case LINK_SPEED -> (e, better) -> e.driver.speed = better ? 100_000_000_000L : 25_000_000_000L;
            case FREE_VECTORS -> (e, better) -> e.driver.freeVectors = better ? 8 : 4;
            case ACTIVE_QUEUES -> (e, better) -> e.driver.activeQueues = better ? 1 : 3;
            case SERVICE_RANKING -> (e, better) -> e.serviceRanking = better ? 10 : 0;
            case SERVICE_ID -> (e, better) -> e.serviceId = better ? 1 : 2;
        };
    }

    /**
     * For each criterion: the two drivers are equal on every earlier criterion, {@code first} is better on this one
     * and worse on every later one; it wins, and flipping only this fact makes the other win.
     */
    @ParameterizedTest
    @EnumSource(Criterion.class)
    void shouldFlipTheWinnerWhenOnlyThisCriterionFlips(Criterion criterion) throws Exception {
        ConnectRequest request = request(",tos=8");
        Entrant first = new Entrant("p1p1", 2);
        Entrant second = new Entrant("p2p1", 1);
        for (Criterion later : Criterion.values()) {
            if (later.ordinal() > criterion.ordinal()) {
                fact(later).accept(first, false);
                fact(later).accept(second, true);
            }
        }
        fact(criterion).accept(first, true);
        fact(criterion).accept(second, false);
        RankingReport report = rank(request, first, second);
        assertEquals("p1p1", report.winner().orElseThrow().name(), report.toString());
        assertTrue(report.entry("p1p1").reason().startsWith(criterion.description), report.toString());
        assertEquals(Outcome.LOST, report.entry("p2p1").outcome());

        fact(criterion).accept(first, false);
        fact(criterion).accept(second, true);
        RankingReport flipped = rank(request, first, second);
        assertEquals("p2p1", flipped.winner().orElseThrow().name(), flipped.toString());
    }

    @Test
    void shouldSayWhyEachWonAndLostWhenThePrefixDecides() throws Exception {
        Entrant p1 = new Entrant("p1p1", 5);
        Entrant p2 = new Entrant("p2p1", 4);
        p2.driver.prefix = 16;
        RankingReport report = rank(request(""), p1, p2);
        assertEquals("p1p1 won: longest route prefix /24 (p2p1: /16)", report.summary());
        assertEquals("p2p1 lost: longest route prefix /16 (p1p1: /24)", report.entry("p2p1").toString());
    }

    @Test
    void shouldBreakAFullTieByTheLowestServiceId() throws Exception {
        Entrant later = new Entrant("p2p1", 9);
        Entrant earlier = new Entrant("p1p1", 3);
        RankingReport report = rank(request(""), later, earlier);
        assertEquals("p1p1 won: lowest service.id service.id 3 (p2p1: service.id 9)", report.summary());
    }

    @Test
    void shouldWinAloneWhenTheOthersDecline() throws Exception {
        Entrant p1 = new Entrant("p1p1", 1);
        Entrant p2 = new Entrant("p2p1", 2);
        p1.driver.claims = false;
        RankingReport report = rank(request(""), p1, p2);
        assertEquals("p2p1 won: the only claim", report.summary());
        assertEquals("p1p1 declined: no route to 127.0.1.1", report.entry("p1p1").toString());
    }

    @Test
    void shouldRefuseNamingEachDriverWhenNoneClaims() throws Exception {
        Entrant p1 = new Entrant("p1p1", 1);
        Entrant p2 = new Entrant("p2p1", 2);
        p1.driver.claims = false;
        p2.driver.claims = false;
        ConnectRequest request = request("");
        List<Candidate> candidates = List.of(p1.candidate(request), p2.candidate(request));
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> ClaimRanking.rank(request, candidates, List.of("p3p1")));
        assertEquals("no offload device claims the connection to 127.0.0.1:4420 (3 drivers asked): p1p1 declined:"
                + " no route to "
                + "127.0.1.1; p2p1 declined: no route to 127.0.1.1; p3p1 left: left during ranking",
                refused.getMessage());
    }

    @Test
    void shouldRefuseWhenNoDeviceIsRegistered() throws Exception {
        ConnectRequest request = request("");
        NvmeTransportException refused = assertThrows(NvmeTransportException.class,
                () -> ClaimRanking.rank(request, List.of(), List.of()));
        assertEquals("no offload device claims the connection to 127.0.0.1:4420: no offload device is registered",
                refused.getMessage());
    }

    @Test
    void shouldRankAClaimThatHonoursTheOptionsAboveABetterOneThatDoesNot() throws Exception {
        Entrant fast = new Entrant("p1p1", 1);
        Entrant honest = new Entrant("p2p1", 2);
        fast.driver.unsupported = Set.of("tos");
        fast.driver.prefix = 32;
        fast.driver.speed = 100_000_000_000L;
        RankingReport report = rank(request(",tos=8"), fast, honest);
        assertEquals("p2p1 won: honours every requested option (p1p1 does not honour tos)",
                report.summary());
        assertEquals("p1p1 lost: does not honour tos (p2p1 honours every requested option)",
                report.entry("p1p1").toString());
    }

    @Test
    void shouldRefuseNamingTheOptionsAndEachDeviceWhenNoClaimHonoursThem() throws Exception {
        Entrant noTos = new Entrant("p1p1", 1);
        Entrant noPoll = new Entrant("p2p1", 2);
        noTos.driver.unsupported = Set.of("tos");
        noPoll.driver.unsupported = Set.of("nr_poll_queues");
        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> rank(request(",tos=8,nr_poll_queues=1"), noTos, noPoll));
        assertEquals("nr_poll_queues,tos", refused.option());
        assertTrue(refused.getMessage().contains("p1p1 lost: does not honour tos"), refused.getMessage());
        assertTrue(refused.getMessage().contains("p2p1 lost: does not honour nr_poll_queues"), refused.getMessage());
    }

    @Test
    void shouldTreatAnOptionTheDevicePolicyRefusesAsNotHonoured() throws Exception {
        Entrant strict = new Entrant("p1p1", 1);
        Entrant open = new Entrant("p2p1", 2);
        strict.driver.policy = new dev.nvmeof.api.OptionPolicy("tcp_offload", Set.of("trsvcid"), Set.of("traddr"));
        RankingReport report = rank(request(",tos=8"), strict, open);
        assertEquals("p2p1", report.winner().orElseThrow().name());
        assertTrue(report.entry("p1p1").reason().contains("tos"), report.toString());
    }
}
