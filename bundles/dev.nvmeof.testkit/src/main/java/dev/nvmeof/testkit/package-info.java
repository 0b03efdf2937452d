/**
 * Test support for the stack and for vendors: a blocking NVMe/TCP test client that drives any target from the
 * outside. Pax Exam provisioning options and the driver conformance suite join it as the offload stack grows.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package dev.nvmeof.testkit;
