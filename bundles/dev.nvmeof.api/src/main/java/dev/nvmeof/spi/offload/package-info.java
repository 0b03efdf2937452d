/**
 * The offload driver SPI: what the {@code tcp_offload} ULP asks of a vendor driver, after the Linux "NVMeTCP Offload
 * ULP" ops table ({@code claim_dev}, {@code setup_ctrl}/{@code release_ctrl}, {@code create_queue},
 * {@code send_req}, {@code poll_queue}, {@code drain_queue}, {@code destroy_queue}, {@code report_err}, the device
 * maximums and allowed/required options), with one change of substance: a claim states facts
 * ({@link dev.nvmeof.spi.offload.OffloadClaim}) and the ULP ranks the claims itself, instead of taking the first
 * device that says yes. A driver registers one {@link dev.nvmeof.spi.offload.OffloadDriver} service per device; the
 * ULP copes with a driver leaving at any moment and never calls it after its service is gone.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.nvmeof.spi.offload;
