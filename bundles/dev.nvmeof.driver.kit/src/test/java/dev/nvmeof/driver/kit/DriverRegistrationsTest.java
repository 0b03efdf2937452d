package dev.nvmeof.driver.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicFunction;

/** One driver service per NIC function, with its properties, gone with the function or the component. */
class DriverRegistrationsTest {

    /** What was registered through the fake context, and whether it was unregistered since. */
    static final class Registered {
        final Object service;
        final Dictionary<?, ?> properties;
        boolean unregistered;

        Registered(Object service, Dictionary<?, ?> properties) {
            this.service = service;
            this.properties = properties;
        }
    }

    private final List<Registered> registered = new ArrayList<>();
    private final BundleContext context = fakeContext();
    private final NicFunction a1 = NicFunction.start(caps("A1"), 1);
    private final NicFunction a2 = NicFunction.start(caps("A2"), 1);
    private final List<String> logged = new ArrayList<>();
    private final DriverRegistrations registrations = new DriverRegistrations(context,
            NicOffloadDriverTest.ACME, logged::add);

    private static NicCapabilities caps(String serial) {
        return new NicCapabilities(0x1AC3, 0x0100, serial, 25_000, 8, 128 * 1024, 32, false);
    }

    @AfterEach
    void stop() {
        a1.close();
        a2.close();
    }

    @Test
    void shouldRegisterOneDriverPerFunctionWithItsProperties() {
        NicOffloadDriver driver = registrations.add(a1);
        registrations.add(a2);

        assertEquals(2, registered.size());
        assertSame(driver, registered.get(0).service);
        Dictionary<?, ?> properties = registered.get(0).properties;
        assertEquals("acme", properties.get("offload.vendor"));
        assertEquals("acme-A1", properties.get("offload.device"));
        assertTrue(logged.get(0).startsWith("offload device acme-A1 on NIC A1 ("), logged.get(0));
        assertEquals("A1", properties.get("nic.serial"));
        assertNull(registrations.add(a1), "a function has one driver");
        assertEquals(2, registrations.size());
    }

    @Test
    void shouldUnregisterTheDriverWhenItsFunctionGoes() {
        registrations.add(a1);
        registrations.add(a2);

        assertTrue(registrations.remove(a1));

        assertTrue(registered.get(0).unregistered);
        assertFalse(registered.get(1).unregistered);
        assertFalse(registrations.remove(a1));
        assertEquals("offload device on NIC A1 gone", logged.get(logged.size() - 1));
    }

    @Test
    void shouldUnregisterEveryDriverAndRegisterNoMoreOnceClosed() {
        registrations.add(a1);

        registrations.close();

        assertTrue(registered.get(0).unregistered);
        assertNull(registrations.add(a2));
        assertEquals(1, registered.size());
    }

    @Test
    void shouldRefuseAFunctionOfAnotherVendor() {
        NicFunction other = NicFunction.start(new NicCapabilities(0x8086, 0x1572, "X1", 10_000, 4, 4096, 1, false),
                1);
        try {
            assertThrows(IllegalArgumentException.class, () -> registrations.add(other));
            assertTrue(registered.isEmpty());
        } finally {
            other.close();
        }
    }

    /** Only registerService is used; its registration only unregisters. */
    private BundleContext fakeContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Registered r = new Registered(args[1], (Dictionary<?, ?>) args[2]);
                    registered.add(r);
                    return Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                if (!m.getName().equals("unregister")) {
                                    throw new UnsupportedOperationException(m.getName());
                                }
                                if (r.unregistered) {
                                    throw new IllegalStateException("already unregistered");
                                }
                                r.unregistered = true;
                                return null;
                            });
                });
    }
}
