package dev.nvmeof.offload.internal;

import dev.nvmeof.api.InvalidOptionException;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.offload.internal.RankingReport.Entry;
import dev.nvmeof.offload.internal.RankingReport.Outcome;
import dev.nvmeof.spi.offload.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks the claims of offload devices from the facts they state, in this order: honours every requested option >
 * longest route prefix > link speed > free hardware vectors > fewest active queues > higher {@code service.ranking}
 * > lowest {@code service.id}. Pure: it calls no driver. A claim that cannot honour the requested options ranks
 * below every claim that can, and the connect is refused only when no claim can.
 */
final class ClaimRanking {

    private ClaimRanking() {
    }

    /** {@link #rank(ConnectRequest, List, List, List)} before any device failed its setup. */
    static RankingReport rank(ConnectRequest request, List<Candidate> candidates, List<String> left)
            throws NvmeException {
        return rank(request, candidates, left, List.of());
    }

    /**
     * Ranks the candidates and records why each won, lost, declined, failed or left.
     *
     * @param left   the names of drivers that left while they were asked (skipped, but named in the report)
     * @param failed devices whose claim won earlier but whose setup failed ({@link Outcome#FAILED}); not among
     *               {@code candidates}
     * @return the report; its winner honours every requested option
     * @throws NvmeException {@link InvalidOptionException} naming the options and each device when devices claim
     *                       but none honours every requested option; {@link NvmeTransportException} naming each
     *                       device and why when every honouring claim failed its setup, or when none claims (then
     *                       also how many drivers were asked)
     */
    static RankingReport rank(ConnectRequest request, List<Candidate> candidates, List<String> left,
            List<Entry> failed) throws NvmeException {
        RankingReport report = report(request, candidates, left, failed);
        if (report.winner().isPresent()) {
            return report;
        }
        String target = request.target().getAddress().getHostAddress() + ":" + request.target().getPort();
        int asked = candidates.size() + left.size() + failed.size();
        if (!failed.isEmpty()) {
            throw NvmeTransportException.of("no offload device could set up the controller for " + target + " ("
                    + asked + (asked == 1 ? " driver" : " drivers") + " asked): " + report, null, true, null);
        }
        boolean anyClaim = candidates.stream().anyMatch(Candidate::claims);
        if (!anyClaim) {
            String why = asked == 0 ? ": no offload device is registered"
                    : " (" + asked + (asked == 1 ? " driver" : " drivers") + " asked): " + report;
            // No path at all through this transport: the host core may continue on offload_fallback.
            throw NvmeTransportException.noPath("no offload device claims the connection to " + target + why);
        }
        Set<String> unhonoured = new TreeSet<>();
        for (Candidate candidate : candidates) {
            if (candidate.claims()) {
                unhonoured.addAll(missingOptions(request, candidate));
            }
        }
        String options = unhonoured.isEmpty() ? "options" : String.join(",", unhonoured);
        throw InvalidOptionException.of(options, "no offload device honours every requested option for " + target
                + " (" + report + ")");
    }

    /** {@link #report(ConnectRequest, List, List, List)} before any device failed its setup. */
    static RankingReport report(ConnectRequest request, List<Candidate> candidates, List<String> left) {
        return report(request, candidates, left, List.of());
    }

    /** The ranking without refusing: the report has no winner when no claim honours every requested option. */
    static RankingReport report(ConnectRequest request, List<Candidate> candidates, List<String> left,
            List<Entry> failed) {
        List<Ranked> ranked = new ArrayList<>();
        List<Entry> declined = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.claims()) {
                ranked.add(judge(request, candidate));
            } else {
                declined.add(new Entry(candidate.name(), Outcome.DECLINED, candidate.declineReason()));
            }
        }
        ranked.sort(Criterion.ORDER);
        List<Entry> entries = new ArrayList<>();
        Optional<Ranked> winner = Optional.empty();
        if (!ranked.isEmpty() && ranked.get(0).honours()) {
            Ranked best = ranked.get(0);
            winner = Optional.of(best);
            entries.add(new Entry(best.name(), Outcome.WON, ranked.size() == 1 ? "the only claim"
                    : why(best, ranked.get(1))));
            for (Ranked loser : ranked.subList(1, ranked.size())) {
                entries.add(new Entry(loser.name(), Outcome.LOST, why(loser, best)));
            }
        } else {
            for (Ranked loser : ranked) {
                entries.add(new Entry(loser.name(), Outcome.LOST, "does not honour " + loser.missing()));
            }
        }
        entries.addAll(failed);
        entries.addAll(declined);
        for (String name : left) {
            entries.add(new Entry(name, Outcome.LEFT, "left during ranking"));
        }
        return new RankingReport(winner, entries);
    }

    /** {@code longest route prefix /24 (p2p1: /16)}: the deciding criterion, this claim's fact and the other's. */
    private static String why(Ranked self, Ranked other) {
        Criterion deciding = Criterion.deciding(self, other);
        if (deciding == null) {
            return "equal to " + other.name() + " on every criterion";
        }
        if (deciding == Criterion.HONOURS_OPTIONS) {
            return self.honours()
                    ? deciding.description + " (" + other.name() + " does not honour " + other.missing() + ")"
                    : "does not honour " + self.missing() + " (" + other.name() + " honours every requested option)";
        }
        return deciding.description + " " + deciding.fact(self) + " (" + other.name() + ": "
                + deciding.fact(other) + ")";
    }

    private static Ranked judge(ConnectRequest request, Candidate candidate) {
        Set<String> missing = missingOptions(request, candidate);
        if (!missing.isEmpty()) {
            return new Ranked(candidate, false, String.join(",", missing));
        }
        try {
            candidate.policy().check(request.options());
            return new Ranked(candidate, true, "");
        } catch (InvalidOptionException refused) {
            return new Ranked(candidate, false, refused.option() + " (" + refused.reason() + ")");
        }
    }

    /** The requested options the claim does not honour, and the ones its policy refuses, by name. */
    private static Set<String> missingOptions(ConnectRequest request, Candidate candidate) {
        Set<String> missing = new TreeSet<>(request.requested());
        missing.removeAll(candidate.claim().honouredOptions());
        try {
            candidate.policy().check(request.options());
        } catch (InvalidOptionException refused) {
            missing.add(refused.option());
        }
        return missing;
    }
}
