package dev.nvmeof.offload.internal;

import java.util.Comparator;

/**
 * The ranking's criteria, in their order: each compares two claims on one stated fact (better first) and says
 * what that fact is for a user. No fact is a score: a vendor cannot win by claiming a bigger number.
 */
enum Criterion {
    HONOURS_OPTIONS("honours every requested option",
            Comparator.comparing((Ranked r) -> !r.honours())) {
        @Override
        String fact(Ranked ranked) {
            return ranked.honours() ? "honours all" : "does not honour " + ranked.missing();
        }
    },
    ROUTE_PREFIX("longest route prefix",
            Comparator.comparingInt((Ranked r) -> -r.candidate().claim().routePrefixLength())) {
        @Override
        String fact(Ranked ranked) {
            return "/" + ranked.candidate().claim().routePrefixLength();
        }
    },
    LINK_SPEED("link speed",
            Comparator.comparingLong((Ranked r) -> -r.candidate().claim().linkSpeedBitsPerSecond())) {
        @Override
        String fact(Ranked ranked) {
            return bitsPerSecond(ranked.candidate().claim().linkSpeedBitsPerSecond());
        }
    },
    FREE_VECTORS("free hardware vectors",
            Comparator.comparingInt((Ranked r) -> -r.candidate().claim().freeHardwareVectors())) {
        @Override
        String fact(Ranked ranked) {
            return ranked.candidate().claim().freeHardwareVectors() + " free";
        }
    },
    ACTIVE_QUEUES("fewest active queues",
            Comparator.comparingInt((Ranked r) -> r.candidate().claim().activeQueues())) {
        @Override
        String fact(Ranked ranked) {
            return ranked.candidate().claim().activeQueues() + " active";
        }
    },
    SERVICE_RANKING("higher service.ranking",
            Comparator.comparingInt((Ranked r) -> -r.candidate().serviceRanking())) {
        @Override
        String fact(Ranked ranked) {
            return "service.ranking " + ranked.candidate().serviceRanking();
        }
    },
    SERVICE_ID("lowest service.id", Comparator.comparingLong((Ranked r) -> r.candidate().serviceId())) {
        @Override
        String fact(Ranked ranked) {
            return "service.id " + ranked.candidate().serviceId();
        }
    };

    /** All criteria in order, as one comparator: the best claim first. */
    static final Comparator<Ranked> ORDER;

    static {
        Comparator<Ranked> order = values()[0].comparator;
        for (int i = 1; i < values().length; i++) {
            order = order.thenComparing(values()[i].comparator);
        }
        ORDER = order;
    }

    final String description;
    final Comparator<Ranked> comparator;

    Criterion(String description, Comparator<Ranked> comparator) {
        this.description = description;
        this.comparator = comparator;
    }

    /** This criterion's fact about one claim, e.g. {@code /24}. */
    abstract String fact(Ranked ranked);

    /** The first criterion on which the two differ, or null when they are equal on all (the same service). */
    static Criterion deciding(Ranked better, Ranked worse) {
        for (Criterion criterion : values()) {
            if (criterion.comparator.compare(better, worse) != 0) {
                return criterion;
            }
        }
        return null;
    }

    static String bitsPerSecond(long bits) {
        if (bits >= 1_000_000_000L && bits % 1_000_000_000L == 0) {
            return bits / 1_000_000_000L + " Gb/s";
        }
        if (bits >= 1_000_000L && bits % 1_000_000L == 0) {
            return bits / 1_000_000L + " Mb/s";
        }
        return bits + " b/s";
    }
}
