package dev.nvmeof.offload.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.offload.internal.RankingReport.Entry;
import dev.nvmeof.spi.offload.ClaimVerdict;
import dev.nvmeof.spi.offload.ClaimVerdict.Verdict;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadDeviceInfo;
import dev.nvmeof.spi.offload.OffloadInspector;

/** The ULP's answers for {@code ofld claims} and {@code ofld drivers}: the connect's own ranking, run dry. */
public final class Inspector implements OffloadInspector {
    private final OffloadTransport transport;

    public Inspector(OffloadTransport transport) {
        this.transport = transport;
    }

    @Override
    public List<ClaimVerdict> claims(ConnectOptions options) throws NvmeException {
        OffloadTransport.POLICY.check(options);
        ConnectRequest request = OffloadTransport.request(options);
        List<Candidate> candidates = new ArrayList<>();
        List<String> left = new ArrayList<>();
        transport.askAll(request, candidates, left);
        RankingReport report = ClaimRanking.report(request, candidates, left);
        List<ClaimVerdict> verdicts = new ArrayList<>();
        for (Entry entry : report.entries()) {
            verdicts.add(new ClaimVerdict(entry.name(), verdict(entry), entry.reason(), claimOf(candidates, entry)));
        }
        return verdicts;
    }

    @Override
    public List<OffloadDeviceInfo> devices() {
        return transport.devices();
    }

    private static Verdict verdict(Entry entry) {
        return switch (entry.outcome()) {
            case WON -> Verdict.WINS;
            case LOST, FAILED -> Verdict.LOSES;
            case DECLINED -> Verdict.DECLINES;
            case LEFT -> Verdict.LEFT;
        };
    }

    private static Optional<OffloadClaim> claimOf(List<Candidate> candidates, Entry entry) {
        for (Candidate candidate : candidates) {
            if (candidate.name().equals(entry.name()) && candidate.claims()) {
                return Optional.of(candidate.claim());
            }
        }
        return Optional.empty();
    }
}
