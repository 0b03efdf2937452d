package dev.nvmeof.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * SMART / Health Information log page (Log Identifier 02h), NVM Express Base 2.0 section 5.16.1.3: 512 bytes,
 * little-endian.
 *
 * <pre>
 *  offset  size  field
 *       0     1  CRITICAL WARNING
 *       1     2  COMPOSITE TEMPERATURE                    kelvin
 *       3     1  AVAILABLE SPARE                          percent
 *       4     1  AVAILABLE SPARE THRESHOLD                percent
 *       5     1  PERCENTAGE USED
 *       6     1  ENDURANCE GROUP CRITICAL WARNING SUMMARY
 *       7    25  reserved
 *      32    16  DATA UNITS READ                          thousands of 512-byte units
 *      48    16  DATA UNITS WRITTEN
 *      64    16  HOST READ COMMANDS
 *      80    16  HOST WRITE COMMANDS
 *      96    16  CONTROLLER BUSY TIME                     minutes
 *     112    16  POWER CYCLES
 *     128    16  POWER ON HOURS
 *     144    16  UNSAFE SHUTDOWNS
 *     160    16  MEDIA AND DATA INTEGRITY ERRORS
 *     176    16  NUMBER OF ERROR INFORMATION LOG ENTRIES
 *     192     4  WARNING COMPOSITE TEMPERATURE TIME       minutes
 *     196     4  CRITICAL COMPOSITE TEMPERATURE TIME      minutes
 *     200    16  TEMPERATURE SENSOR 1..8                  2 bytes each, kelvin, 0 = not implemented
 *     216   296  thermal management counters, reserved
 * </pre>
 *
 * <p>The ten 128-bit counters are read and written by their offset ({@code DATA_UNITS_READ_OFFSET} ..
 * {@code NUMBER_OF_ERROR_LOG_ENTRIES_OFFSET}): {@link #counterLow(int)} and {@link #counterHigh(int)} do not allocate,
 * {@link #counter(int)} gives a {@link BigInteger}.
 */
public final class SmartLogFlyweight extends StructFlyweight<SmartLogFlyweight> {
    public static final int LENGTH = 512;

    public static final int CRITICAL_WARNING_OFFSET = 0;
    public static final int COMPOSITE_TEMPERATURE_OFFSET = 1;
    public static final int AVAILABLE_SPARE_OFFSET = 3;
    public static final int AVAILABLE_SPARE_THRESHOLD_OFFSET = 4;
    public static final int PERCENTAGE_USED_OFFSET = 5;
    public static final int ENDURANCE_GROUP_CRITICAL_WARNING_SUMMARY_OFFSET = 6;
    public static final int DATA_UNITS_READ_OFFSET = 32;
    public static final int DATA_UNITS_WRITTEN_OFFSET = 48;
    public static final int HOST_READ_COMMANDS_OFFSET = 64;
    public static final int HOST_WRITE_COMMANDS_OFFSET = 80;
    public static final int CONTROLLER_BUSY_TIME_OFFSET = 96;
    public static final int POWER_CYCLES_OFFSET = 112;
    public static final int POWER_ON_HOURS_OFFSET = 128;
    public static final int UNSAFE_SHUTDOWNS_OFFSET = 144;
    public static final int MEDIA_ERRORS_OFFSET = 160;
    public static final int NUMBER_OF_ERROR_LOG_ENTRIES_OFFSET = 176;
    /** Each 128-bit counter. */
    public static final int COUNTER_LENGTH = 16;
    public static final int WARNING_TEMPERATURE_TIME_OFFSET = 192;
    public static final int CRITICAL_TEMPERATURE_TIME_OFFSET = 196;
    public static final int TEMPERATURE_SENSOR_OFFSET = 200;
    public static final int TEMPERATURE_SENSOR_COUNT = 8;

    /** CRITICAL WARNING bits. */
    public static final int CRITICAL_WARNING_SPARE = 1;
    public static final int CRITICAL_WARNING_TEMPERATURE = 1 << 1;
    public static final int CRITICAL_WARNING_RELIABILITY = 1 << 2;
    public static final int CRITICAL_WARNING_READ_ONLY = 1 << 3;
    public static final int CRITICAL_WARNING_VOLATILE_BACKUP = 1 << 4;
    public static final int CRITICAL_WARNING_PMR_READ_ONLY = 1 << 5;

    /** Views the 512 bytes at {@code offset}; the buffer must be little-endian. Returns {@code this}. */
    public SmartLogFlyweight wrap(ByteBuffer buffer, int offset) {
        return wrapAt(buffer, offset, LENGTH);
    }

    public int criticalWarning() { return u8(CRITICAL_WARNING_OFFSET); }
    public SmartLogFlyweight criticalWarning(int v) { return u8(CRITICAL_WARNING_OFFSET, v); }
    /** Kelvin. Unaligned on purpose: the spec puts it at byte 1. */
    public int compositeTemperature() { return u16(COMPOSITE_TEMPERATURE_OFFSET); }
    public SmartLogFlyweight compositeTemperature(int v) { return u16(COMPOSITE_TEMPERATURE_OFFSET, v); }
    public int availableSpare() { return u8(AVAILABLE_SPARE_OFFSET); }
    public SmartLogFlyweight availableSpare(int v) { return u8(AVAILABLE_SPARE_OFFSET, v); }
    public int availableSpareThreshold() { return u8(AVAILABLE_SPARE_THRESHOLD_OFFSET); }
    public SmartLogFlyweight availableSpareThreshold(int v) { return u8(AVAILABLE_SPARE_THRESHOLD_OFFSET, v); }
    public int percentageUsed() { return u8(PERCENTAGE_USED_OFFSET); }
    public SmartLogFlyweight percentageUsed(int v) { return u8(PERCENTAGE_USED_OFFSET, v); }
    public int enduranceGroupCriticalWarningSummary() { return u8(ENDURANCE_GROUP_CRITICAL_WARNING_SUMMARY_OFFSET); }
    public SmartLogFlyweight enduranceGroupCriticalWarningSummary(int v) {
        return u8(ENDURANCE_GROUP_CRITICAL_WARNING_SUMMARY_OFFSET, v);
    }

    /** Bits 63:0 of the 128-bit counter at {@code counterOffset}. */
    public long counterLow(int counterOffset) { return u64(checkCounter(counterOffset)); }
    /** Bits 127:64 of the 128-bit counter at {@code counterOffset}. */
    public long counterHigh(int counterOffset) {
        return u64(checkCounter(counterOffset) + Long.BYTES);
    }
    /** The 128-bit counter at {@code counterOffset}, unsigned. */
    public BigInteger counter(int counterOffset) {
        return StructText.u128(counterLow(counterOffset), counterHigh(counterOffset));
    }
    public SmartLogFlyweight counter(int counterOffset, long low, long high) {
        return u64(checkCounter(counterOffset), low).u64(counterOffset + Long.BYTES, high);
    }
    public SmartLogFlyweight counter(int counterOffset, BigInteger value) {
        StructText.checkU128("counter", value);
        return counter(counterOffset, value.longValue(), StructText.high64(value));
    }

    public int warningTemperatureTime() { return u32(WARNING_TEMPERATURE_TIME_OFFSET); }
    public SmartLogFlyweight warningTemperatureTime(int v) {
        return u32(WARNING_TEMPERATURE_TIME_OFFSET, v);
    }
    public int criticalTemperatureTime() { return u32(CRITICAL_TEMPERATURE_TIME_OFFSET); }
    public SmartLogFlyweight criticalTemperatureTime(int v) {
        return u32(CRITICAL_TEMPERATURE_TIME_OFFSET, v);
    }

    /** Temperature sensor {@code index} (0 for sensor 1 .. 7 for sensor 8), kelvin; 0 if not implemented. */
    public int temperatureSensor(int index) { return u16(sensorOffset(index)); }
    public SmartLogFlyweight temperatureSensor(int index, int kelvin) { return u16(sensorOffset(index), kelvin); }

    public SmartLog toRecord() {
        return new SmartLog(criticalWarning(), compositeTemperature(), availableSpare(), availableSpareThreshold(),
                percentageUsed(), enduranceGroupCriticalWarningSummary(), counter(DATA_UNITS_READ_OFFSET),
                counter(DATA_UNITS_WRITTEN_OFFSET), counter(HOST_READ_COMMANDS_OFFSET),
                counter(HOST_WRITE_COMMANDS_OFFSET), counter(CONTROLLER_BUSY_TIME_OFFSET),
                counter(POWER_CYCLES_OFFSET), counter(POWER_ON_HOURS_OFFSET), counter(UNSAFE_SHUTDOWNS_OFFSET),
                counter(MEDIA_ERRORS_OFFSET), counter(NUMBER_OF_ERROR_LOG_ENTRIES_OFFSET), warningTemperatureTime(),
                criticalTemperatureTime());
    }

    /** Clears the page and encodes {@code r}; temperature sensors and the rest are zero. */
    public SmartLogFlyweight write(SmartLog r) {
        zero(0, LENGTH);
        return criticalWarning(r.criticalWarning()).compositeTemperature(r.compositeTemperature())
                .availableSpare(r.availableSpare()).availableSpareThreshold(r.availableSpareThreshold())
                .percentageUsed(r.percentageUsed())
                .enduranceGroupCriticalWarningSummary(r.enduranceGroupCriticalWarningSummary())
                .counter(DATA_UNITS_READ_OFFSET, r.dataUnitsRead())
                .counter(DATA_UNITS_WRITTEN_OFFSET, r.dataUnitsWritten())
                .counter(HOST_READ_COMMANDS_OFFSET, r.hostReadCommands())
                .counter(HOST_WRITE_COMMANDS_OFFSET, r.hostWriteCommands())
                .counter(CONTROLLER_BUSY_TIME_OFFSET, r.controllerBusyTime())
                .counter(POWER_CYCLES_OFFSET, r.powerCycles())
                .counter(POWER_ON_HOURS_OFFSET, r.powerOnHours())
                .counter(UNSAFE_SHUTDOWNS_OFFSET, r.unsafeShutdowns())
                .counter(MEDIA_ERRORS_OFFSET, r.mediaErrors())
                .counter(NUMBER_OF_ERROR_LOG_ENTRIES_OFFSET, r.numberOfErrorLogEntries())
                .warningTemperatureTime(r.warningTemperatureTime())
                .criticalTemperatureTime(r.criticalTemperatureTime());
    }

    private static int checkCounter(int counterOffset) {
        if (counterOffset < DATA_UNITS_READ_OFFSET || counterOffset > NUMBER_OF_ERROR_LOG_ENTRIES_OFFSET
                || (counterOffset - DATA_UNITS_READ_OFFSET) % COUNTER_LENGTH != 0) {
            throw new IllegalArgumentException("no 128-bit counter at offset " + counterOffset);
        }
        return counterOffset;
    }

    private static int sensorOffset(int index) {
        if (index < 0 || index >= TEMPERATURE_SENSOR_COUNT) {
            throw new IndexOutOfBoundsException("temperature sensor " + index + " outside 0..7");
        }
        return TEMPERATURE_SENSOR_OFFSET + index * Short.BYTES;
    }
}
