package dev.nvmeof.testkit.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.driver.kit.VendorProfile;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.testkit.driver.BrokenDriver.Breakage;

/**
 * The suite itself: a driver that keeps the rules (our driver kit's, as acme and vortex use it; the Zenith example
 * runs the suite with one written from scratch) passes every scenario, and a driver that breaks one rule fails that
 * rule's scenario with a message naming the rule and what went wrong.
 */
class DriverConformanceTest {
    static final NicCapabilities NIC = new NicCapabilities(0x1234, 0x0001, "R1", 10_000, 4, 128 * 1024, 32, false);
    private static final VendorProfile PROFILE = VendorProfile.of("ref", 0x1234, 0x0001);

    private static Environment.Factory reference() {
        return () -> EmulatedNicEnvironment.start(NIC, nic -> new NicOffloadDriver(PROFILE, nic));
    }

    private static Environment.Factory broken(Breakage breakage) {
        return () -> EmulatedNicEnvironment.start(NIC, nic -> new BrokenDriver(new NicOffloadDriver(PROFILE, nic),
                breakage));
    }

    @TestFactory
    Stream<DynamicTest> shouldPassEveryScenarioWithADriverThatKeepsTheRules() {
        return DriverConformance.scenarios(reference()).stream()
                .map(scenario -> DynamicTest.dynamicTest(scenario.name(), scenario::run));
    }

    @Test
    void shouldHaveAScenarioForEveryRule() {
        for (Rule rule : Rule.values()) {
            assertFalse(DriverConformance.scenarios(reference(), rule).isEmpty(), rule.id());
        }
    }

    /** Runs the rule's scenarios; the first failure's message. */
    private static String failureOf(Breakage breakage, Rule rule) {
        List<DriverConformance.Scenario> scenarios = DriverConformance.scenarios(broken(breakage), rule);
        AssertionError failed = assertThrows(AssertionError.class, () -> {
            for (DriverConformance.Scenario scenario : scenarios) {
                scenario.run();
            }
        }, breakage + " passed every scenario of " + rule.id());
        assertTrue(failed.getMessage().startsWith("rule " + rule.id() + " broken: "), failed.getMessage());
        return failed.getMessage();
    }

    @Test
    void shouldFailCompletionExactlyOnceWhenADriverCompletesARequestTwice() {
        String message = failureOf(Breakage.DOUBLE_COMPLETION, Rule.COMPLETION_EXACTLY_ONCE);
        assertTrue(message.contains("completed: expected 1, was 2") || message.contains("completions"), message);
    }

    @Test
    void shouldFailDrainQuiescesWhenDrainQueueReturnsBeforeTheDeviceIsQuiet() {
        String message = failureOf(Breakage.NON_BLOCKING_DRAIN, Rule.DRAIN_QUIESCES);
        assertTrue(message.contains("after drainQueue returned"), message);
    }

    @Test
    void shouldFailClaimFollowsRouteWhenADriverClaimsWithoutARoute() {
        String message = failureOf(Breakage.CLAIM_WITHOUT_ROUTE, Rule.CLAIM_FOLLOWS_ROUTE);
        assertTrue(message.contains("which no port routes to"), message);
    }

    @Test
    void shouldFailSendNeverBlocksWhenSendReqWaitsForTheCompletion() {
        String message = failureOf(Breakage.BLOCKING_SEND, Rule.SEND_NEVER_BLOCKS);
        assertTrue(message.contains("sendReq blocked while the device was stalled"), message);
    }

    @Test
    void shouldFailErrorReportedOnceWhenTheCauseIsMissing() {
        String message = failureOf(Breakage.ERROR_WITHOUT_CAUSE, Rule.ERROR_REPORTED_ONCE);
        assertTrue(message.contains("null cause"), message);
    }
}
