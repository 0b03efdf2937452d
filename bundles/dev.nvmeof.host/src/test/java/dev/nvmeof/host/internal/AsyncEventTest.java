package dev.nvmeof.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeNamespace;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.AsyncEventType;
import dev.nvmeof.protocol.LogPageId;

/**
 * Asynchronous events on a manual clock: the admin queue keeps an Asynchronous Event Request outstanding; a
 * Namespace Attribute Changed notice reads the Changed Namespace List (RAE 0), the active list and the new namespaces,
 * and the listener hears of each namespace added or removed.
 */
class AsyncEventTest {
    private static final Duration TICK = Duration.ofMillis(1);
    private static final int NAMESPACE_NOTICE = AsyncEvent.dw0(AsyncEventType.NOTICE,
            AsyncEvent.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, LogPageId.CHANGED_NAMESPACE_LIST.code());

    private final HostFixture f = new HostFixture();
    private final List<String> events = new ArrayList<>();

    AsyncEventTest() {
        f.target.oaes = AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES;
        f.host.addListener(new HostListener() {
            @Override
            public void namespaceAdded(HostController controller, NvmeNamespace namespace) {
                events.add("+" + namespace.name() + " " + namespace.blocks());
            }

            @Override
            public void namespaceRemoved(HostController controller, NvmeNamespace namespace) {
                events.add("-" + namespace.name());
            }
        });
    }

    private HostController connect() throws Exception {
        return f.connect(HostFixture.build(f.options().keepAliveTmo(0).reconnectDelay(1)));
    }

    private List<Integer> nsids(HostController c) {
        return c.namespaces().stream().map(NvmeNamespace::nsid).toList();
    }

    @Test
    void shouldEnableNamespaceNoticesAndKeepOneAsyncEventRequestOutstanding() throws Exception {
        HostController c = connect();
        assertEquals(AsyncEvent.CONFIG_NAMESPACE_ATTRIBUTE_NOTICES, f.target.asyncEventConfig);
        assertEquals(1, f.transport.asyncEventRequests());
        assertEquals(List.of("+nvme0n1 2048"), events, "announced once LIVE");
        f.advance(Duration.ofSeconds(120));
        assertEquals(1, f.transport.asyncEventRequests(), "untimed: still outstanding past the admin timeout");
        assertEquals(ControllerState.LIVE, c.state());
    }

    @Test
    void shouldNotConfigureAsyncEventsTheControllerDoesNotSupport() throws Exception {
        f.target.oaes = 0;
        connect();
        assertEquals(-1, f.target.asyncEventConfig);
        assertEquals(1, f.transport.asyncEventRequests(), "the request is sent anyway, as Linux does");
    }

    @Test
    void shouldAddANamespaceNamedByANamespaceAttributeChangedNotice() throws Exception {
        HostController c = connect();
        f.target.addNamespace(2, 4096);
        f.transport.clearCommands();

        assertTrue(f.transport.asyncEvent(NAMESPACE_NOTICE));
        assertEquals(List.of("q0 Async Event Request"), f.transport.commands(), "re-armed at once");
        assertEquals(List.of(1), nsids(c), "the scan runs in the work loop");

        f.advance(TICK);
        assertEquals(List.of(
                "q0 Async Event Request",
                "q0 Get Log Page 4 nsid 0xffffffff rae=0",
                "q0 Identify CNS 2 nsid 0",
                "q0 Identify CNS 0 nsid 2"), f.transport.commands(), "only the new namespace is identified");
        assertEquals(1, f.target.changedLogReads);
        f.advance(TICK);
        assertEquals(List.of(1, 2), nsids(c));
        assertEquals("nvme0n2", c.namespaces().get(1).name());
        assertEquals(4096, c.namespaces().get(1).blocks());
        assertEquals(List.of("+nvme0n1 2048", "+nvme0n2 4096"), events);
        assertEquals(1, f.transport.asyncEventRequests());
    }

    @Test
    void shouldRemoveANamespaceTheTargetNoLongerListsAndReannounceAResizedOne() throws Exception {
        HostController c = connect();
        f.target.addNamespace(2, 100);
        f.target.addNamespace(3, 100);
        f.transport.asyncEvent(NAMESPACE_NOTICE);
        f.advance(TICK);
        f.advance(TICK);
        assertEquals(List.of(1, 2, 3), nsids(c));
        events.clear();

        f.target.removeNamespace(2);
        f.target.addNamespace(3, 200);
        f.transport.asyncEvent(NAMESPACE_NOTICE);
        f.advance(TICK);
        f.advance(TICK);
        assertEquals(List.of(1, 3), nsids(c));
        assertEquals(200, c.namespaces().get(1).blocks());
        assertEquals(List.of("-nvme0n2", "-nvme0n3", "+nvme0n3 200"), events);
    }

    @Test
    void shouldIgnoreOtherEventsButStillRearm() throws Exception {
        connect();
        f.transport.clearCommands();
        f.transport.asyncEvent(AsyncEvent.dw0(AsyncEventType.NOTICE, AsyncEvent.NOTICE_FIRMWARE_ACTIVATION_STARTING,
                LogPageId.FIRMWARE_SLOT.code()));
        f.advance(TICK);
        assertEquals(List.of("q0 Async Event Request"), f.transport.commands());
    }

    @Test
    void shouldRearmAfterAReconnectAndRescanForChangesMadeMeanwhile() throws Exception {
        HostController c = connect();
        f.transport.queue(0).fail("gone");
        f.advance(TICK);
        assertEquals(ControllerState.CONNECTING, c.state());
        assertFalse(f.transport.asyncEvent(NAMESPACE_NOTICE), "the old request died with its queue");
        f.target.addNamespace(2, 512);

        f.advance(Duration.ofSeconds(1));
        assertEquals(ControllerState.LIVE, c.state());
        f.advance(TICK);
        f.advance(TICK);
        assertEquals(List.of(1, 2), nsids(c));
        assertEquals(1, f.transport.asyncEventRequests(), "the new admin queue has its own");
        assertTrue(f.transport.asyncEvent(NAMESPACE_NOTICE));
        assertEquals(1, f.transport.asyncEventRequests());
    }

    @Test
    void shouldWithdrawEveryNamespaceOnDisconnect() throws Exception {
        HostController c = connect();
        f.target.addNamespace(2, 512);
        f.transport.asyncEvent(NAMESPACE_NOTICE);
        f.advance(TICK);
        f.advance(TICK);
        events.clear();
        c.disconnect();
        assertEquals(List.of("-nvme0n1", "-nvme0n2"), events);
    }

    @Test
    void shouldWithdrawEveryNamespaceWhenTheControllerIsLost() throws Exception {
        HostController c = f.connect(HostFixture.build(f.options().keepAliveTmo(0).reconnectDelay(1)
                .ctrlLossTmo(2)));
        events.clear();
        f.transport.refuseAssociations = 100;
        f.transport.queue(0).fail("gone");
        for (int i = 0; i < 4 && c.state() != ControllerState.DEAD; i++) {
            f.advance(Duration.ofSeconds(1));
        }
        assertEquals(ControllerState.DEAD, c.state());
        assertEquals(List.of("-nvme0n1"), events);
    }
}
