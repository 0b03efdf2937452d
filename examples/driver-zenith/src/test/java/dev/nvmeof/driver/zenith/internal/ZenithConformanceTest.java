package dev.nvmeof.driver.zenith.internal;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.testkit.driver.DriverConformance;
import dev.nvmeof.testkit.driver.EmulatedNicEnvironment;

/**
 * The Zenith driver through the driver conformance suite, in plain Java: each scenario a dynamic test in a fresh
 * environment (our target on 127.0.0.1, a Zenith card with {@code p1p1 127.0.0.2/24}, ephemeral ports), failing with
 * {@code rule <id> broken: ...} when the driver breaks a rule of the SPI.
 */
class ZenithConformanceTest {
    /** A Zenith card: 40 Gb/s, 4 hardware vectors, 256 KiB per command, interrupts only. */
    static final NicCapabilities ZENITH_NIC = new NicCapabilities(ZenithDriverComponent.VENDOR_ID,
            ZenithDriverComponent.DEVICE_ID, "Z1", 40_000, 4, 256 * 1024, 64, false);

    @TestFactory
    Stream<DynamicTest> shouldKeepEveryRuleOfTheOffloadDriverSpi() {
        return DriverConformance.scenarios(() -> EmulatedNicEnvironment.start(ZENITH_NIC, ZenithDriver::new)).stream()
                .map(scenario -> DynamicTest.dynamicTest(scenario.name(), scenario::run));
    }
}
