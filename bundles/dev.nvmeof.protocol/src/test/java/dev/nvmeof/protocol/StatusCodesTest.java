package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusCodesTest {

    @ParameterizedTest
    @EnumSource(value = StatusCodeType.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripWhenLookingUpStatusCodeType(StatusCodeType value) {
        assertSame(value, StatusCodeType.of(value.code()));
    }

    @ParameterizedTest
    @EnumSource(value = GenericStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripWhenLookingUpGenericStatus(GenericStatus value) {
        assertSame(value, GenericStatus.of(value.code()));
    }

    @ParameterizedTest
    @EnumSource(value = CommandSpecificStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripWhenLookingUpCommandSpecificStatus(CommandSpecificStatus value) {
        assertSame(value, CommandSpecificStatus.of(value.code()));
    }

    @ParameterizedTest
    @EnumSource(value = MediaStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripWhenLookingUpMediaStatus(MediaStatus value) {
        assertSame(value, MediaStatus.of(value.code()));
    }

    @ParameterizedTest
    @EnumSource(value = PathStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripWhenLookingUpPathStatus(PathStatus value) {
        assertSame(value, PathStatus.of(value.code()));
    }

    @Test
    void shouldMapToUnknownWithoutThrowingWhenCodeIsUnassigned() {
        for (int code = -1; code <= 256; code++) {
            assertNotNull(StatusCodeType.of(code));
            assertNotNull(GenericStatus.of(code));
            assertNotNull(CommandSpecificStatus.of(code));
            assertNotNull(MediaStatus.of(code));
            assertNotNull(PathStatus.of(code));
        }
        assertSame(StatusCodeType.UNKNOWN, StatusCodeType.of(4));
        assertSame(GenericStatus.UNKNOWN, GenericStatus.of(0xFF));
        assertSame(CommandSpecificStatus.UNKNOWN, CommandSpecificStatus.of(0x04));
        assertSame(MediaStatus.UNKNOWN, MediaStatus.of(0x00));
        assertSame(PathStatus.UNKNOWN, PathStatus.of(0x72));
        assertEquals(-1, GenericStatus.UNKNOWN.code());
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingStatusCodeTypes() {
        assertCodes(Map.of(
                StatusCodeType.GENERIC, 0, StatusCodeType.COMMAND_SPECIFIC, 1,
                StatusCodeType.MEDIA_AND_DATA_INTEGRITY, 2, StatusCodeType.PATH_RELATED, 3,
                StatusCodeType.VENDOR_SPECIFIC, 7), StatusCodeType::code);
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingGenericStatus() {
        // NVMe Base 2.0 "Generic Command Status Values"; NVM Command Set 1.0 for 80h-84h
        assertCodes(Map.ofEntries(
                Map.entry(GenericStatus.SUCCESS, 0x00), Map.entry(GenericStatus.INVALID_OPCODE, 0x01),
                Map.entry(GenericStatus.INVALID_FIELD, 0x02), Map.entry(GenericStatus.COMMAND_ID_CONFLICT, 0x03),
                Map.entry(GenericStatus.DATA_TRANSFER_ERROR, 0x04), Map.entry(GenericStatus.ABORTED_POWER_LOSS, 0x05),
                Map.entry(GenericStatus.INTERNAL_ERROR, 0x06), Map.entry(GenericStatus.ABORT_REQUESTED, 0x07),
                Map.entry(GenericStatus.ABORTED_SQ_DELETION, 0x08), Map.entry(GenericStatus.ABORTED_FUSED_FAIL, 0x09),
                Map.entry(GenericStatus.ABORTED_FUSED_MISSING, 0x0A), Map.entry(GenericStatus.INVALID_NAMESPACE, 0x0B),
                Map.entry(GenericStatus.COMMAND_SEQUENCE_ERROR, 0x0C),
                Map.entry(GenericStatus.INVALID_SGL_SEGMENT_DESCRIPTOR, 0x0D),
                Map.entry(GenericStatus.INVALID_NUMBER_OF_SGL_DESCRIPTORS, 0x0E),
                Map.entry(GenericStatus.DATA_SGL_LENGTH_INVALID, 0x0F),
                Map.entry(GenericStatus.METADATA_SGL_LENGTH_INVALID, 0x10),
                Map.entry(GenericStatus.SGL_DESCRIPTOR_TYPE_INVALID, 0x11),
                Map.entry(GenericStatus.SGL_OFFSET_INVALID, 0x16),
                Map.entry(GenericStatus.HOST_IDENTIFIER_INCONSISTENT_FORMAT, 0x18),
                Map.entry(GenericStatus.KEEP_ALIVE_TIMER_EXPIRED, 0x19),
                Map.entry(GenericStatus.KEEP_ALIVE_TIMEOUT_INVALID, 0x1A),
                Map.entry(GenericStatus.TRANSIENT_TRANSPORT_ERROR, 0x22),
                Map.entry(GenericStatus.LBA_OUT_OF_RANGE, 0x80), Map.entry(GenericStatus.CAPACITY_EXCEEDED, 0x81),
                Map.entry(GenericStatus.NAMESPACE_NOT_READY, 0x82),
                Map.entry(GenericStatus.RESERVATION_CONFLICT, 0x83)), GenericStatus::code);
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingCommandSpecificStatus() {
        assertCodes(Map.ofEntries(
                Map.entry(CommandSpecificStatus.COMPLETION_QUEUE_INVALID, 0x00),
                Map.entry(CommandSpecificStatus.INVALID_QUEUE_IDENTIFIER, 0x01),
                Map.entry(CommandSpecificStatus.INVALID_QUEUE_SIZE, 0x02),
                Map.entry(CommandSpecificStatus.ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED, 0x05),
                Map.entry(CommandSpecificStatus.INVALID_LOG_PAGE, 0x09),
                Map.entry(CommandSpecificStatus.FEATURE_NOT_SAVEABLE, 0x0D),
                Map.entry(CommandSpecificStatus.FEATURE_NOT_CHANGEABLE, 0x0E),
                Map.entry(CommandSpecificStatus.CONNECT_INCOMPATIBLE_FORMAT, 0x80),
                Map.entry(CommandSpecificStatus.CONNECT_CONTROLLER_BUSY, 0x81),
                Map.entry(CommandSpecificStatus.CONNECT_INVALID_PARAMETERS, 0x82),
                Map.entry(CommandSpecificStatus.CONNECT_RESTART_DISCOVERY, 0x83),
                Map.entry(CommandSpecificStatus.CONNECT_INVALID_HOST, 0x84),
                Map.entry(CommandSpecificStatus.INVALID_QUEUE_TYPE, 0x85),
                Map.entry(CommandSpecificStatus.DISCOVERY_RESTART, 0x90),
                Map.entry(CommandSpecificStatus.AUTHENTICATION_REQUIRED, 0x91)), CommandSpecificStatus::code);
    }

    @Test
    void shouldMatchSpecValuesWhenCheckingMediaAndPathStatus() {
        assertCodes(Map.of(
                MediaStatus.WRITE_FAULT, 0x80, MediaStatus.UNRECOVERED_READ_ERROR, 0x81,
                MediaStatus.END_TO_END_GUARD_CHECK_ERROR, 0x82, MediaStatus.END_TO_END_APPLICATION_TAG_CHECK_ERROR, 0x83,
                MediaStatus.END_TO_END_REFERENCE_TAG_CHECK_ERROR, 0x84, MediaStatus.COMPARE_FAILURE, 0x85,
                MediaStatus.ACCESS_DENIED, 0x86, MediaStatus.DEALLOCATED_OR_UNWRITTEN, 0x87), MediaStatus::code);
        assertCodes(Map.of(
                PathStatus.INTERNAL_PATH_ERROR, 0x00, PathStatus.ASYMMETRIC_ACCESS_PERSISTENT_LOSS, 0x01,
                PathStatus.ASYMMETRIC_ACCESS_INACCESSIBLE, 0x02, PathStatus.ASYMMETRIC_ACCESS_TRANSITION, 0x03,
                PathStatus.CONTROLLER_PATHING_ERROR, 0x60, PathStatus.HOST_PATHING_ERROR, 0x70,
                PathStatus.HOST_ABORTED_COMMAND, 0x71), PathStatus::code);
    }

    @Test
    void shouldHaveDistinctCodesWhenEnumeratingEachEnum() {
        assertDistinct(StatusCodeType.values(), StatusCodeType::code, StatusCodeType::of);
        assertDistinct(GenericStatus.values(), GenericStatus::code, GenericStatus::of);
        assertDistinct(CommandSpecificStatus.values(), CommandSpecificStatus::code, CommandSpecificStatus::of);
        assertDistinct(MediaStatus.values(), MediaStatus::code, MediaStatus::of);
        assertDistinct(PathStatus.values(), PathStatus::code, PathStatus::of);
    }

    private static <E> void assertCodes(Map<E, Integer> expected, ToIntFunction<E> code) {
        expected.forEach((value, wire) -> assertEquals(wire.intValue(), code.applyAsInt(value), value.toString()));
    }

    /** Every named constant is what its own code looks up, so no two share a code. */
    private static <E extends Enum<E>> void assertDistinct(E[] values, ToIntFunction<E> code, IntFunction<E> of) {
        for (E value : values) {
            int wire = code.applyAsInt(value);
            if (wire >= 0) {
                assertSame(value, of.apply(wire), value.name());
            }
        }
    }
}
