package dev.nvmeof.testkit.driver;

import java.util.List;

/**
 * The conformance suite of the offload driver SPI ({@code dev.nvmeof.spi.offload}): the scenarios any
 * {@code OffloadDriver} runs against itself, one or more per {@link Rule}. Where a rule is about the SPI the suite
 * plays the ULP itself (claims, {@code setupCtrl}, queues with Fabrics Connect, requests, recording queue handles);
 * where it is about the whole path it runs the driver in the public {@code OffloadStack} under an embedded host.
 * Faults come from the environment's {@link DeviceHooks}; every wait is bounded and none sleeps.
 *
 * <p>Framework-neutral: each {@link Scenario} opens a fresh {@link Environment}, runs, closes it, and fails with an
 * {@link AssertionError} whose message starts with {@code rule <id> broken:}. In JUnit 5:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> conformance() {
 *     return DriverConformance.scenarios(() -> EmulatedNicEnvironment.start(CAPABILITIES, MyDriver::new)).stream()
 *             .map(s -> DynamicTest.dynamicTest(s.name(), s::run));
 * }
 * }</pre>
 */
public final class DriverConformance {

    /** One named check of one rule. */
    public static final class Scenario {
        private final String name;
        private final Rule rule;
        private final Environment.Factory factory;
        private final Body body;

        Scenario(String name, Rule rule, Environment.Factory factory, Body body) {
            this.name = name;
            this.rule = rule;
            this.factory = factory;
            this.body = body;
        }

        /** {@code <rule id>: <what it checks>}. */
        public String name() {
            return rule.id() + ": " + name;
        }

        public Rule rule() {
            return rule;
        }

        /**
         * Runs the scenario in a fresh environment.
         *
         * @throws AssertionError naming the rule when the driver broke it (or the scenario could not run)
         */
        public void run() {
            try (Environment environment = factory.open()) {
                body.run(environment);
            } catch (AssertionError broken) {
                throw named(broken.getMessage(), broken);
            } catch (Exception failed) {
                throw named(failed.toString(), failed);
            }
        }

        private AssertionError named(String message, Throwable cause) {
            return new AssertionError("rule " + rule.id() + " broken: " + message + " [" + name + "; the rule: "
                    + rule.statement() + "]", cause);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    @FunctionalInterface
    interface Body {
        void run(Environment environment) throws Exception;
    }

    private DriverConformance() {
    }

    /** Every scenario, each in an environment {@code factory} opens for it. */
    public static List<Scenario> scenarios(Environment.Factory factory) {
        return List.of(
                new Scenario("claims a target its port routes to, with true facts", Rule.CLAIM_FOLLOWS_ROUTE,
                        factory, SpiScenarios::claimsWhatItRoutes),
                new Scenario("declines a target no port routes to, with a reason", Rule.CLAIM_FOLLOWS_ROUTE, factory,
                        SpiScenarios::declinesWhatItCannotRoute),
                new Scenario("declines while the link is down, claims once it is up", Rule.CLAIM_FOLLOWS_ROUTE,
                        factory, SpiScenarios::declinesWhileTheLinkIsDown),
                new Scenario("64 requests from 4 threads, twice over the same requests",
                        Rule.COMPLETION_EXACTLY_ONCE, factory, SpiScenarios::completesEachRequestExactlyOnce),
                new Scenario("a full queue's sends while the device is stalled", Rule.SEND_NEVER_BLOCKS, factory,
                        SpiScenarios::sendsWithoutBlockingWhileStalled),
                new Scenario("nothing delivered or written once drainQueue returned, mid-transfer",
                        Rule.DRAIN_QUIESCES, factory, SpiScenarios::deliversNothingOnceDrained),
                new Scenario("a write and a read of maxIoSize", Rule.LIMITS_HONOURED, factory,
                        SpiScenarios::carriesTransfersOfMaxIoSize),
                new Scenario("as many requests outstanding as the queue has entries", Rule.LIMITS_HONOURED, factory,
                        SpiScenarios::carriesAsManyRequestsAsTheQueueIsDeep),
                new Scenario("hardwareVectors I/O queues, counted in claims", Rule.LIMITS_HONOURED, factory,
                        SpiScenarios::carriesItsHardwareVectorsAndCountsThemTruthfully),
                new Scenario("link down with requests outstanding", Rule.ERROR_REPORTED_ONCE, factory,
                        SpiScenarios::reportsALinkDownOnceWithItsCause),
                new Scenario("connection reset with requests outstanding", Rule.ERROR_REPORTED_ONCE, factory,
                        SpiScenarios::reportsAResetOnceWithItsCause),
                new Scenario("removed from the offload stack under verified writes, then back",
                        Rule.WITHDRAWAL_SAFE, factory, StackScenarios::survivesWithdrawalMidIo),
                new Scenario("verified writes from several threads, small and of the largest transfer",
                        Rule.DATA_INTEGRITY, factory, StackScenarios::readsBackWhatWasAcknowledged));
    }

    /** The scenarios of one rule. */
    public static List<Scenario> scenarios(Environment.Factory factory, Rule rule) {
        return scenarios(factory).stream().filter(s -> s.rule() == rule).toList();
    }
}
