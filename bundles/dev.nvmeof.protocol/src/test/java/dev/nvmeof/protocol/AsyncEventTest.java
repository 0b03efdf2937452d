package dev.nvmeof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AsyncEventTest {

    @Test
    void shouldNameChangedNamespaceLogWhenNamespaceAttributesChange() {
        AsyncEvent event = AsyncEvent.of(0x0004_0002); // LID 04h, info 00h, type 2

        assertEquals(AsyncEventType.NOTICE, event.eventType());
        assertEquals(AsyncEvent.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, event.info());
        assertEquals(LogPageId.CHANGED_NAMESPACE_LIST.code(), event.logPageId());
        assertTrue(event.isNamespaceAttributeChanged());
        assertFalse(event.isDiscoveryLogPageChange());
    }

    @Test
    void shouldNameDiscoveryLogWhenDiscoveryChanges() {
        int dw0 = 0x0070_F002; // LID 70h, info F0h, type 2

        assertEquals(2, AsyncEvent.type(dw0));
        assertEquals(0xF0, AsyncEvent.info(dw0));
        assertEquals(0x70, AsyncEvent.logPageId(dw0));
        assertTrue(AsyncEvent.of(dw0).isDiscoveryLogPageChange());
        assertEquals(dw0, AsyncEvent.dw0(AsyncEventType.NOTICE, AsyncEvent.NOTICE_DISCOVERY_LOG_PAGE_CHANGE,
                LogPageId.DISCOVERY.code()));
        assertEquals(dw0, AsyncEvent.of(dw0).toDw0());
    }

    @Test
    void shouldIgnoreReservedBitsWhenDecoding() {
        AsyncEvent event = AsyncEvent.of(0xFF02_01F9); // reserved 31:24 and 7:3 set

        assertEquals(new AsyncEvent(1, 0x01, 0x02), event);
        assertEquals(AsyncEventType.SMART, event.eventType());
    }

    @Test
    void shouldPlaceConfigBitsWhenEnablingNotices() {
        assertEquals(0x0000_0100, AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES);
        assertEquals(0x8000_0000, AsyncEvent.CONFIG_DISCOVERY_LOG_PAGE_CHANGE_NOTICES);
        assertThrows(IllegalArgumentException.class, () -> AsyncEvent.dw0(AsyncEventType.UNKNOWN, 0, 0));
    }
}
