package dev.nvmeof.protocol;

import java.math.BigInteger;

/**
 * The main fields of the SMART / Health Information log page (Log Identifier 02h, NVM Express Base 2.0 section
 * 5.16.1.3) as an immutable value. The byte layout is in {@link SmartLogFlyweight}. The 128-bit counters are
 * {@link BigInteger}s in 0 .. 2^128 - 1.
 *
 * @param criticalWarning                      bit 0 spare below threshold, 1 temperature, 2 reliability degraded,
 *                                             3 read only, 4 volatile backup failed, 5 PMR read only
 * @param compositeTemperature                 kelvin
 * @param availableSpare                       percent
 * @param availableSpareThreshold              percent
 * @param percentageUsed                       percent, may exceed 100 (up to 255)
 * @param enduranceGroupCriticalWarningSummary endurance group critical warnings
 * @param dataUnitsRead                        thousands of 512-byte units read
 * @param dataUnitsWritten                     thousands of 512-byte units written
 * @param hostReadCommands                     read commands completed
 * @param hostWriteCommands                    write commands completed
 * @param controllerBusyTime                   minutes busy with I/O
 * @param powerCycles                          power cycles
 * @param powerOnHours                         power-on hours
 * @param unsafeShutdowns                      unsafe shutdowns
 * @param mediaErrors                          unrecovered data integrity errors
 * @param numberOfErrorLogEntries              error information log entries over the life of the controller
 * @param warningTemperatureTime               minutes above WCTEMP, raw unsigned 32 bits
 * @param criticalTemperatureTime              minutes above CCTEMP, raw unsigned 32 bits
 */
public record SmartLog(int criticalWarning, int compositeTemperature, int availableSpare, int availableSpareThreshold,
        int percentageUsed, int enduranceGroupCriticalWarningSummary, BigInteger dataUnitsRead,
        BigInteger dataUnitsWritten, BigInteger hostReadCommands, BigInteger hostWriteCommands,
        BigInteger controllerBusyTime, BigInteger powerCycles, BigInteger powerOnHours, BigInteger unsafeShutdowns,
        BigInteger mediaErrors, BigInteger numberOfErrorLogEntries, int warningTemperatureTime,
        int criticalTemperatureTime) {

    public SmartLog {
        StructText.checkUnsigned("criticalWarning", criticalWarning, 8);
        StructText.checkUnsigned("compositeTemperature", compositeTemperature, 16);
        StructText.checkUnsigned("availableSpare", availableSpare, 8);
        StructText.checkUnsigned("availableSpareThreshold", availableSpareThreshold, 8);
        StructText.checkUnsigned("percentageUsed", percentageUsed, 8);
        StructText.checkUnsigned("enduranceGroupCriticalWarningSummary", enduranceGroupCriticalWarningSummary, 8);
        StructText.checkU128("dataUnitsRead", dataUnitsRead);
        StructText.checkU128("dataUnitsWritten", dataUnitsWritten);
        StructText.checkU128("hostReadCommands", hostReadCommands);
        StructText.checkU128("hostWriteCommands", hostWriteCommands);
        StructText.checkU128("controllerBusyTime", controllerBusyTime);
        StructText.checkU128("powerCycles", powerCycles);
        StructText.checkU128("powerOnHours", powerOnHours);
        StructText.checkU128("unsafeShutdowns", unsafeShutdowns);
        StructText.checkU128("mediaErrors", mediaErrors);
        StructText.checkU128("numberOfErrorLogEntries", numberOfErrorLogEntries);
    }

    /** The composite temperature in degrees Celsius (kelvin - 273); meaningless if the field is 0. */
    public int compositeTemperatureCelsius() {
        return compositeTemperature - 273;
    }
}
