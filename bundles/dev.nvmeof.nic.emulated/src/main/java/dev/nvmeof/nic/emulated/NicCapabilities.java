package dev.nvmeof.nic.emulated;

/**
 * What a NIC function is and can do, as a driver's probe reads it (the PCI ids) and as its offload engine enforces it.
 *
 * @param vendorId        PCI vendor id (16 bits)
 * @param deviceId        PCI device id (16 bits)
 * @param serial          serial number, unique per function
 * @param linkSpeedMbps   link speed of every port, in Mbit/s
 * @param hardwareVectors queue pairs the engine can run at once (Linux {@code num_hw_vectors})
 * @param maxIoSize       largest data transfer of one command, in bytes
 * @param maxSegments     largest number of data segments of one command
 * @param polling         whether queue pairs may run without completion notification ({@link QueuePair#reapCompletions})
 */
public record NicCapabilities(int vendorId, int deviceId, String serial, long linkSpeedMbps, int hardwareVectors,
        int maxIoSize, int maxSegments, boolean polling) {

    public NicCapabilities {
        if (vendorId < 0 || vendorId > 0xFFFF || deviceId < 0 || deviceId > 0xFFFF) {
            throw new IllegalArgumentException("vendor and device ids are 16-bit, were 0x"
                    + Integer.toHexString(vendorId) + "/0x" + Integer.toHexString(deviceId));
        }
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("a NIC function needs a serial number");
        }
        if (linkSpeedMbps <= 0 || hardwareVectors <= 0 || maxIoSize < 4096 || maxSegments <= 0) {
            throw new IllegalArgumentException("link speed, hardware vectors and max segments must be positive and"
                    + " max I/O size at least 4096, were " + linkSpeedMbps + ", " + hardwareVectors + ", "
                    + maxSegments + ", " + maxIoSize);
        }
    }
}
