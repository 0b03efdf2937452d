package dev.nvmeof.spi.offload;

import java.util.Objects;
import java.util.Optional;

/**
 * One device's part in a ranking ({@link OffloadInspector#claims}): what happened to its claim and why, e.g.
 * {@code p2p1 WINS: link speed 100 Gb/s (p1p1: 25 Gb/s)}.
 *
 * @param claim the facts it stated, empty when it declined
 * @since 1.2
 */
public record ClaimVerdict(String device, Verdict verdict, String reason, Optional<OffloadClaim> claim) {

    /** A claim's fate in one ranking. */
    public enum Verdict {
        /** Its claim ranks first and honours every option: it would carry the connection. */
        WINS,
        /** It claims but ranks lower, or does not honour every requested option. */
        LOSES,
        /** It cannot carry the connection (no route, link down, ...). */
        DECLINES,
        /** It left while it was being asked. */
        LEFT
    }

    public ClaimVerdict {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(claim, "claim");
    }

    @Override
    public String toString() {
        return device + " " + verdict.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }
}
