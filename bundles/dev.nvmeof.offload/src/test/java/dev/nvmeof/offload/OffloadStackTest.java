package dev.nvmeof.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;

/** The public assembly: the transport's name, ties broken by ranking and id as the DS does, removal as an unbind. */
class OffloadStackTest {
    private static final String OPTIONS = "transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn";

    /** A device that claims everything with the same facts and counts its released controllers. */
    private static final class SameClaims implements OffloadDriver {
        final String name;
        final AtomicInteger released = new AtomicInteger();

        SameClaims(String name) {
            this.name = name;
        }

        @Override
        public String deviceName() {
            return name;
        }

        @Override
        public OffloadLimits limits() {
            return new OffloadLimits(128 << 10, 32, 4, false);
        }

        @Override
        public OptionPolicy optionPolicy() {
            return new OptionPolicy(name, Set.of("trsvcid"), Set.of("traddr"));
        }

        @Override
        public Optional<OffloadClaim> claimDev(ConnectRequest request) {
            return Optional.of(new OffloadClaim(name, InetAddress.getLoopbackAddress(), 24, 25_000_000_000L, 4, 0,
                    request.requested()));
        }

        @Override
        public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) {
            return new OffloadController() {
                @Override
                public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle)
                        throws NvmeException {
                    throw NvmeTransportException.connectionLost("not in this test", null);
                }

                @Override
                public void close() {
                    released.incrementAndGet();
                }
            };
        }
    }

    private static String winner(OffloadStack stack) throws Exception {
        try (TransportAssociation association = stack.transport().associate(ConnectOptions.parse(OPTIONS))) {
            return association.describe();
        }
    }

    @Test
    void shouldBeTheTcpOffloadTransport() {
        try (OffloadStack stack = new OffloadStack()) {
            assertEquals("tcp_offload", stack.transport().name());
            assertEquals(OffloadStack.TRANSPORT_NAME, stack.transport().name());
            assertSame(stack.transport(), stack.transport());
        }
    }

    @Test
    void shouldBreakTiesByServiceRankingThenLowestServiceId() throws Exception {
        SameClaims a = new SameClaims("a");
        SameClaims b = new SameClaims("b");
        SameClaims c = new SameClaims("c");
        try (OffloadStack stack = new OffloadStack()) {
            assertEquals(1, stack.addDriver(a));
            assertEquals(2, stack.addDriver(b));
            assertTrue(winner(stack).startsWith("tcp_offload via a "), "lowest id wins a tie: " + winner(stack));

            stack.addDriver(c, 5, 9);
            assertTrue(winner(stack).startsWith("tcp_offload via c "), "highest ranking wins: " + winner(stack));
            assertEquals(10, stack.addDriver(new SameClaims("d")), "assigned ids follow the highest given");
            assertEquals(4, stack.drivers());
        }
    }

    @Test
    void shouldReleaseTheLeavingDevicesControllersAndNeverAskItAgain() throws Exception {
        SameClaims a = new SameClaims("a");
        SameClaims b = new SameClaims("b");
        try (OffloadStack stack = new OffloadStack()) {
            stack.addDriver(a);
            stack.addDriver(b);
            TransportAssociation onA = stack.transport().associate(ConnectOptions.parse(OPTIONS));
            assertTrue(onA.describe().startsWith("tcp_offload via a "), onA.describe());

            stack.removeDriver(a);

            assertEquals(1, a.released.get(), "its controller was released when it left");
            assertEquals(1, stack.drivers());
            assertTrue(winner(stack).startsWith("tcp_offload via b "), "the remaining device carries the next one");
            stack.removeDriver(b);
            stack.removeDriver(b); // not present: nothing
            NvmeException none = assertThrows(NvmeException.class,
                    () -> stack.transport().associate(ConnectOptions.parse(OPTIONS)));
            assertTrue(none.getMessage().contains("no offload device"), none.getMessage());
        }
    }
}
