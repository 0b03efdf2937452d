package dev.nvmeof.driver.acme.internal;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.testkit.driver.DriverConformance;
import dev.nvmeof.testkit.driver.EmulatedNicEnvironment;

/**
 * The Acme driver (its profile over an Acme card: 8 vectors, 128 KiB, 25 Gb/s, no polling) through the driver
 * conformance suite: each scenario a dynamic test in a fresh environment on 127/8.
 */
class AcmeConformanceTest {
    static final NicCapabilities ACME_NIC = new NicCapabilities(AcmeDriverComponent.VENDOR_ID,
            AcmeDriverComponent.DEVICE_ID, "A1", 25_000, 8, 128 * 1024, 32, false);

    @TestFactory
    Stream<DynamicTest> shouldKeepEveryRuleOfTheOffloadDriverSpi() {
        return DriverConformance.scenarios(() -> EmulatedNicEnvironment.start(ACME_NIC,
                nic -> new NicOffloadDriver(AcmeDriverComponent.PROFILE, nic))).stream()
                .map(scenario -> DynamicTest.dynamicTest(scenario.name(), scenario::run));
    }
}
