package dev.nvmeof.driver.vortex.internal;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.nvmeof.driver.kit.NicOffloadDriver;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.testkit.driver.DriverConformance;
import dev.nvmeof.testkit.driver.EmulatedNicEnvironment;

/**
 * The Vortex driver (its profile over an Vortex card: 4 vectors, 1 MiB, 100 Gb/s, polling) through the driver
 * conformance suite: each scenario a dynamic test in a fresh environment on 127/8.
 */
class VortexConformanceTest {
    static final NicCapabilities VORTEX_NIC = new NicCapabilities(VortexDriverComponent.VENDOR_ID,
            VortexDriverComponent.DEVICE_ID, "V1", 100_000, 4, 1 << 20, 64, true);

    @TestFactory
    Stream<DynamicTest> shouldKeepEveryRuleOfTheOffloadDriverSpi() {
        return DriverConformance.scenarios(() -> EmulatedNicEnvironment.start(VORTEX_NIC,
                nic -> new NicOffloadDriver(VortexDriverComponent.PROFILE, nic))).stream()
                .map(scenario -> DynamicTest.dynamicTest(scenario.name(), scenario::run));
    }
}
