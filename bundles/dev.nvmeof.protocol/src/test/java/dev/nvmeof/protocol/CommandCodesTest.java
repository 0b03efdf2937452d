package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class CommandCodesTest {

    @Test
    void shouldRoundTripWhenLookingUpEveryCommandCode() {
        assertRoundTrip(AdminOpcode.values(), AdminOpcode::code, AdminOpcode::of);
        assertRoundTrip(NvmOpcode.values(), NvmOpcode::code, NvmOpcode::of);
        assertRoundTrip(FabricsCommandType.values(), FabricsCommandType::code, FabricsCommandType::of);
        assertRoundTrip(IdentifyCns.values(), IdentifyCns::code, IdentifyCns::of);
        assertRoundTrip(LogPageId.values(), LogPageId::code, LogPageId::of);
        assertRoundTrip(FeatureId.values(), FeatureId::code, FeatureId::of);
        assertRoundTrip(AsyncEventType.values(), AsyncEventType::code, AsyncEventType::of);
        assertRoundTrip(ControllerProperty.values(), ControllerProperty::offset, ControllerProperty::of);
    }

    @Test
    void shouldMapToUnknownWhenCodeIsUnassigned() {
        for (int code = -1; code <= 256; code++) {
            assertNotNull(AdminOpcode.of(code));
            assertNotNull(NvmOpcode.of(code));
            assertNotNull(FabricsCommandType.of(code));
            assertNotNull(IdentifyCns.of(code));
            assertNotNull(LogPageId.of(code));
            assertNotNull(FeatureId.of(code));
            assertNotNull(AsyncEventType.of(code));
            assertNotNull(ControllerProperty.of(code));
        }
        assertSame(AdminOpcode.UNKNOWN, AdminOpcode.of(0x03));
        assertSame(FabricsCommandType.UNKNOWN, FabricsCommandType.of(0x02));
        assertSame(ControllerProperty.UNKNOWN, ControllerProperty.of(0x04));
        assertSame(AsyncEventType.UNKNOWN, AsyncEventType.of(5));
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingOpcodes() {
        assertCodes(Map.ofEntries(
                Map.entry(AdminOpcode.DELETE_IO_SQ, 0x00), Map.entry(AdminOpcode.CREATE_IO_SQ, 0x01),
                Map.entry(AdminOpcode.GET_LOG_PAGE, 0x02), Map.entry(AdminOpcode.DELETE_IO_CQ, 0x04),
                Map.entry(AdminOpcode.CREATE_IO_CQ, 0x05), Map.entry(AdminOpcode.IDENTIFY, 0x06),
                Map.entry(AdminOpcode.ABORT, 0x08), Map.entry(AdminOpcode.SET_FEATURES, 0x09),
                Map.entry(AdminOpcode.GET_FEATURES, 0x0A), Map.entry(AdminOpcode.ASYNC_EVENT_REQUEST, 0x0C),
                Map.entry(AdminOpcode.KEEP_ALIVE, 0x18), Map.entry(AdminOpcode.FABRICS, 0x7F)), AdminOpcode::code);
        assertCodes(Map.of(
                NvmOpcode.FLUSH, 0x00, NvmOpcode.WRITE, 0x01, NvmOpcode.READ, 0x02, NvmOpcode.WRITE_ZEROES, 0x08,
                NvmOpcode.DATASET_MANAGEMENT, 0x09, NvmOpcode.FABRICS, 0x7F), NvmOpcode::code);
        assertCodes(Map.of(
                FabricsCommandType.PROPERTY_SET, 0x00, FabricsCommandType.CONNECT, 0x01,
                FabricsCommandType.PROPERTY_GET, 0x04, FabricsCommandType.AUTHENTICATION_SEND, 0x05,
                FabricsCommandType.AUTHENTICATION_RECEIVE, 0x06, FabricsCommandType.DISCONNECT, 0x08),
                FabricsCommandType::code);
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingIdentifiers() {
        assertCodes(Map.of(
                IdentifyCns.NAMESPACE, 0x00, IdentifyCns.CONTROLLER, 0x01, IdentifyCns.ACTIVE_NAMESPACE_LIST, 0x02,
                IdentifyCns.NAMESPACE_ID_DESCRIPTORS, 0x03), IdentifyCns::code);
        assertCodes(Map.of(
                LogPageId.ERROR, 0x01, LogPageId.SMART, 0x02, LogPageId.CHANGED_NAMESPACE_LIST, 0x04,
                LogPageId.DISCOVERY, 0x70), LogPageId::code);
        assertCodes(Map.of(
                FeatureId.NUMBER_OF_QUEUES, 0x07, FeatureId.ASYNC_EVENT_CONFIG, 0x0B, FeatureId.KEEP_ALIVE_TIMER,
                0x0F), FeatureId::code);
        assertCodes(Map.of(AsyncEventType.ERROR, 0, AsyncEventType.SMART, 1, AsyncEventType.NOTICE, 2),
                AsyncEventType::code);
    }

    @Test
    void shouldMatchSpecOffsetsAndSizesWhenCheckingProperties() {
        assertCodes(Map.of(
                ControllerProperty.CAP, 0x00, ControllerProperty.VS, 0x08, ControllerProperty.CC, 0x14,
                ControllerProperty.CSTS, 0x1C, ControllerProperty.NSSR, 0x20), ControllerProperty::offset);
        assertEquals(8, ControllerProperty.CAP.size());
        assertEquals(4, ControllerProperty.VS.size());
        assertEquals(4, ControllerProperty.CC.size());
        assertEquals(4, ControllerProperty.CSTS.size());
    }

    private static <E> void assertCodes(Map<E, Integer> expected, ToIntFunction<E> code) {
        expected.forEach((value, wire) -> assertEquals(wire.intValue(), code.applyAsInt(value), value.toString()));
    }

    private static <E extends Enum<E>> void assertRoundTrip(E[] values, ToIntFunction<E> code, IntFunction<E> of) {
        for (E value : values) {
            int wire = code.applyAsInt(value);
            if (!value.name().equals("UNKNOWN")) {
                assertSame(value, of.apply(wire), value.name());
            } else {
                assertEquals(-1, wire);
            }
        }
    }
}
