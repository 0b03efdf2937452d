/**
 * The offload driver test kit, for vendors and for us: {@link dev.nvmeof.testkit.driver.DriverConformance}, the
 * scenarios any {@link dev.nvmeof.spi.offload.OffloadDriver} runs against itself to prove it keeps the SPI's contract
 * (each {@link dev.nvmeof.testkit.driver.Rule} a scenario whose failure names it), played through the SPI directly
 * and through the public offload stack with an embedded host; {@link dev.nvmeof.testkit.driver.VerifiedWorkload}, a
 * bounded multi-threaded write workload whose every acknowledged block is verified; and the environment they run in:
 * our embedded target ({@link dev.nvmeof.testkit.driver.ConformanceTarget}) and, for drivers of the emulated NIC,
 * {@link dev.nvmeof.testkit.driver.EmulatedNicEnvironment}. Framework-neutral: a failed check throws
 * {@link java.lang.AssertionError}; a JUnit 5 {@code @TestFactory} or a Pax Exam test turns the scenarios into tests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.nvmeof.testkit.driver;
