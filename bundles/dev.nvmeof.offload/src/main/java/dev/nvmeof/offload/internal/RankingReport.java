package dev.nvmeof.offload.internal;

import java.util.List;
import java.util.Optional;

/**
 * Why each driver won, lost, failed, declined or was skipped on one connect; what the shell and the demo print, one line
 * per driver, e.g. {@code p1p1 won: longest route prefix /24 (p2p1: /16)}.
 *
 * @param winner  the winning claim, empty when none can carry the connection
 * @param entries every driver asked, the winner first, then the losers in rank order, then those whose claim won
 *                but whose setup failed, then those that declined, then those that left during ranking
 */
record RankingReport(Optional<Ranked> winner, List<Entry> entries) {

    enum Outcome {
        WON, LOST, FAILED, DECLINED, LEFT
    }

    /** One driver's line. */
    record Entry(String name, Outcome outcome, String reason) {

        @Override
        public String toString() {
            return name + " " + outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
        }
    }

    RankingReport {
        entries = List.copyOf(entries);
    }

    /** The winner's line, or the first entry's when nothing won. */
    String summary() {
        return entries.isEmpty() ? "no offload device" : entries.get(0).toString();
    }

    Entry entry(String name) {
        for (Entry entry : entries) {
            if (entry.name().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("no entry for " + name);
    }

    /** All lines, separated by {@code "; "}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(entry);
        }
        return text.toString();
    }
}
