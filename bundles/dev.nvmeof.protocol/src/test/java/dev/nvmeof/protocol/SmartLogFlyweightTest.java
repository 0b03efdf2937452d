package dev.nvmeof.protocol;

import static dev.nvmeof.protocol.HandBytes.le;
import static dev.nvmeof.protocol.HandBytes.le16;
import static dev.nvmeof.protocol.HandBytes.le32;
import static dev.nvmeof.protocol.HandBytes.le64;
import static dev.nvmeof.protocol.HandBytes.zeroed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SmartLogFlyweightTest {

    private static byte[] smart() {
        byte[] b = new byte[512];
        b[0] = 0x02;                          // CRITICAL WARNING: temperature
        le16(b, 1, 318);                      // COMPOSITE TEMPERATURE: 45 C, unaligned
        b[3] = 100;                           // AVAILABLE SPARE
        b[4] = 10;                            // AVAILABLE SPARE THRESHOLD
        b[5] = (byte) 200;                    // PERCENTAGE USED past 100
        b[6] = 0;                             // ENDURANCE GROUP SUMMARY
        le64(b, 32, 0x12345);                 // DATA UNITS READ
        le64(b, 48, -1L);                     // DATA UNITS WRITTEN low: all ones
        le64(b, 56, 2);                       // DATA UNITS WRITTEN high
        le64(b, 64, 1000);                    // HOST READ COMMANDS
        le64(b, 80, 2000);                    // HOST WRITE COMMANDS
        le64(b, 96, 5);                       // CONTROLLER BUSY TIME
        le64(b, 112, 12);                     // POWER CYCLES
        le64(b, 128, 8760);                   // POWER ON HOURS
        le64(b, 144, 3);                      // UNSAFE SHUTDOWNS
        le64(b, 160, 0);                      // MEDIA ERRORS
        le64(b, 176, 4);                      // ERROR LOG ENTRIES
        le32(b, 192, 60);                     // WARNING TEMP TIME
        le32(b, 196, 1);                      // CRITICAL TEMP TIME
        return b;
    }

    @Test
    void shouldDecodeFieldsWhenPlacedAtSpecOffsets() {
        SmartLogFlyweight f = new SmartLogFlyweight().wrap(le(smart()), 0);
        SmartLog log = f.toRecord();

        assertEquals(SmartLogFlyweight.CRITICAL_WARNING_TEMPERATURE, log.criticalWarning());
        assertEquals(318, log.compositeTemperature());
        assertEquals(45, log.compositeTemperatureCelsius());
        assertEquals(200, log.percentageUsed());
        assertEquals(BigInteger.valueOf(0x12345), log.dataUnitsRead());
        assertEquals(BigInteger.valueOf(3).shiftLeft(64).subtract(BigInteger.ONE), log.dataUnitsWritten());
        assertEquals(-1L, f.counterLow(SmartLogFlyweight.DATA_UNITS_WRITTEN_OFFSET));
        assertEquals(2L, f.counterHigh(SmartLogFlyweight.DATA_UNITS_WRITTEN_OFFSET));
        assertEquals(BigInteger.valueOf(8760), log.powerOnHours());
        assertEquals(BigInteger.valueOf(12), log.powerCycles());
        assertEquals(BigInteger.valueOf(4), log.numberOfErrorLogEntries());
        assertEquals(60, log.warningTemperatureTime());
        assertEquals(1, log.criticalTemperatureTime());
    }

    @Test
    void shouldEncodeSameBytesWhenWrittenFromRecord() {
        SmartLog log = new SmartLogFlyweight().wrap(le(smart()), 0).toRecord();
        ByteBuffer out = zeroed(512);

        new SmartLogFlyweight().wrap(out, 0).write(log);

        assertArrayEquals(smart(), out.array());
    }

    @Test
    void shouldRejectCounterAccessWhenOffsetIsNotACounter() {
        SmartLogFlyweight f = new SmartLogFlyweight().wrap(zeroed(512), 0);

        assertThrows(IllegalArgumentException.class, () -> f.counterLow(40));
        assertThrows(IllegalArgumentException.class, () -> f.counter(192, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> f.counter(SmartLogFlyweight.POWER_CYCLES_OFFSET, BigInteger.ONE.shiftLeft(128)));
    }

    @Test
    void shouldReadTemperatureSensorsWhenImplemented() {
        byte[] b = new byte[512];
        le16(b, 200, 300);   // sensor 1
        le16(b, 214, 310);   // sensor 8
        SmartLogFlyweight f = new SmartLogFlyweight().wrap(le(b), 0);

        assertEquals(300, f.temperatureSensor(0));
        assertEquals(0, f.temperatureSensor(1));
        assertEquals(310, f.temperatureSensor(7));
    }
}
