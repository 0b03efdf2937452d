package dev.nvmeof.offload.internal;

import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadDriver;
import java.util.Objects;

/**
 * One driver's answer to a connect, as the ranking sees it: its claim (or why it declined), its option policy and
 * its service's {@code service.ranking} and {@code service.id}.
 *
 * @param driver         the driver asked; the ranking never calls it
 * @param name           the device's name for users, e.g. {@code p1p1}
 * @param claim          its claim, or null when it declined
 * @param declineReason  why it declined (null when it claimed)
 * @param policy         the options it allows and requires, or null when it declined
 */
record Candidate(OffloadDriver driver, String name, OffloadClaim claim, String declineReason, OptionPolicy policy,
        int serviceRanking, long serviceId) {

    Candidate {
        Objects.requireNonNull(name, "name");
        if ((claim == null) == (declineReason == null) || (claim != null && policy == null)) {
            throw new IllegalArgumentException("a candidate either claims (with a policy) or declines with a reason");
        }
    }

    static Candidate claimed(OffloadDriver driver, String name, OffloadClaim claim, OptionPolicy policy,
            int serviceRanking, long serviceId) {
        return new Candidate(driver, name, claim, null, policy, serviceRanking, serviceId);
    }

    static Candidate declined(OffloadDriver driver, String name, String reason, int serviceRanking, long serviceId) {
        return new Candidate(driver, name, null, reason, null, serviceRanking, serviceId);
    }

    boolean claims() {
        return claim != null;
    }
}
