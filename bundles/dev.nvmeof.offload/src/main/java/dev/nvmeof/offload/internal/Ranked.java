package dev.nvmeof.offload.internal;

/**
 * A claim with what the ranking found about the requested options.
 *
 * @param honours whether the claim honours every requested option and the device's option policy accepts them
 * @param missing what it does not honour (option names, or the policy's complaint); empty when it honours all
 */
record Ranked(Candidate candidate, boolean honours, String missing) {

    String name() {
        return candidate.name();
    }
}
