package dev.nvmeof.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

/** The {@code ip} command in a real Gogo session over the fixture's two emulated NICs (p1p1, p2p1). */
class IpShellTest extends ShellSessionTest {
    @Test
    void shouldShowEveryPortWithItsAddressesLikeIproute2() throws Exception {
        String out = shell.run("ip addr show");

        assertEquals("2: p1p1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP group default\n"
                + "    inet 127.0.0.2/8 scope global p1p1\n"
                + "       valid_lft forever preferred_lft forever\n"
                + "3: p2p1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP group default\n"
                + "    inet 127.0.0.3/8 scope global p2p1\n"
                + "       valid_lft forever preferred_lft forever\n", out);
        assertEquals(out, shell.run("ip addr"));
        assertTrue(shell.run("ip addr show dev p2p1").startsWith("3: p2p1: "));
    }

    @Test
    void shouldAddAnAddressWhoseConnectedRouteWinsLookupsAndDeleteIt() throws Exception {
        assertEquals("", shell.run("ip addr add 127.0.0.5/24 dev p2p1"));

        assertTrue(shell.run("ip addr show dev p2p1").contains("    inet 127.0.0.5/24 scope global p2p1\n"));
        assertEquals("127.0.0.0/8 dev p1p1 proto kernel scope link src 127.0.0.2\n"
                + "127.0.0.0/8 dev p2p1 proto kernel scope link src 127.0.0.3\n"
                + "127.0.0.0/24 dev p2p1 proto kernel scope link src 127.0.0.5\n", shell.run("ip route show"));
        assertEquals("127.0.0.1 dev p2p1 src 127.0.0.5\n", shell.run("ip route get 127.0.0.1"));

        assertEquals("", shell.run("ip addr del 127.0.0.5/24 dev p2p1"));
        assertFalse(shell.run("ip route").contains("127.0.0.5"));
        assertEquals("127.0.0.1 dev p1p1 src 127.0.0.2\n", shell.run("ip route get 127.0.0.1"));
    }

    @Test
    void shouldTakeAHostAddressWithoutPrefixAsSlash32() throws Exception {
        shell.run("ip addr add 127.0.0.9 dev p1p1");

        assertTrue(shell.run("ip addr show p1p1").contains("inet 127.0.0.9/32 scope global p1p1"));
        assertTrue(shell.run("ip route").contains("127.0.0.9/32 dev p1p1 proto kernel scope link src 127.0.0.9"));
    }

    @Test
    void shouldPrintJsonWithIproute2Keys() throws Exception {
        String addr = shell.run("ip -j addr show dev p1p1");

        assertTrue(addr.contains("\"ifindex\":2"), addr);
        assertTrue(addr.contains("\"ifname\":\"p1p1\""), addr);
        assertTrue(addr.contains("\"operstate\":\"UP\""), addr);
        assertTrue(addr.contains("\"local\":\"127.0.0.2\""), addr);
        assertTrue(addr.contains("\"prefixlen\":8"), addr);
        assertEquals(addr, shell.run("ip addr show dev p1p1 -j"));
        String route = shell.run("ip -j route");
        assertTrue(route.contains("\"dst\":\"127.0.0.0/8\""), route);
        assertTrue(route.contains("\"prefsrc\":\"127.0.0.3\""), route);
    }

    @Test
    void shouldSetALinkDownAndUpAndDropItsRoutesMeanwhile() throws Exception {
        assertEquals("", shell.run("ip link set dev p2p1 down"));

        assertEquals("3: p2p1: <BROADCAST,MULTICAST> mtu 1500 state DOWN mode DEFAULT group default\n",
                shell.run("ip link show dev p2p1"));
        assertFalse(shell.run("ip route show").contains("p2p1"));
        assertFalse(shell.nic2.netDevice().port("p2p1").linkUp());

        shell.run("ip link set p2p1 up");
        assertTrue(shell.run("ip link").contains("3: p2p1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP"));
    }

    @Test
    void shouldNameAMalformedAddress() {
        ShellException e = assertThrows(ShellException.class, () -> shell.run("ip addr add 127.0.0/33 dev p1p1"));

        assertEquals("ip addr: Error: any valid prefix is expected rather than \"127.0.0/33\" ('127.0.0' in"
                + " '127.0.0/33' is not a literal IPv4 or IPv6 address).", e.getMessage());
        assertEquals(ShellException.EINVAL, e.status());
        ShellException prefix = assertThrows(ShellException.class,
                () -> shell.run("ip addr add 127.0.0.5/33 dev p1p1"));
        assertTrue(prefix.getMessage().startsWith("ip addr: Error: any valid prefix is expected rather than"
                + " \"127.0.0.5/33\" (prefix length of 127.0.0.5 must be 0..32, was 33)"), prefix.getMessage());
        assertEquals(1, shell.nic.netDevice().port("p1p1").addresses().size(), "nothing added");
    }

    @Test
    void shouldNameAnUnknownDevice() {
        ShellException add = assertThrows(ShellException.class, () -> shell.run("ip addr add 127.0.0.5/24 dev p9p9"));
        ShellException link = assertThrows(ShellException.class, () -> shell.run("ip link set dev p9p9 down"));

        assertEquals("ip addr: Cannot find device \"p9p9\" (devices: p1p1, p2p1)", add.getMessage());
        assertEquals(ShellException.ENODEV, add.status());
        assertEquals("ip link: Cannot find device \"p9p9\" (devices: p1p1, p2p1)", link.getMessage());
    }

    @Test
    void shouldRefuseBadInputInOneLine() {
        assertEquals("ip addr: unknown option '--bogus'",
                assertThrows(ShellException.class, () -> shell.run("ip addr show --bogus")).getMessage());
        assertEquals("ip: unknown command 'adr' (try: ip help)",
                assertThrows(ShellException.class, () -> shell.run("ip adr")).getMessage());
        assertEquals("ip addr: Command \"flush\" is unknown, try \"ip addr help\".",
                assertThrows(ShellException.class, () -> shell.run("ip addr flush")).getMessage());
        assertEquals("ip addr: Not enough information: \"dev\" argument is required.",
                assertThrows(ShellException.class, () -> shell.run("ip addr add 127.0.0.5/24")).getMessage());
        ShellException exists = assertThrows(ShellException.class,
                () -> shell.run("ip addr add 127.0.0.2/24 dev p1p1"));
        assertTrue(exists.getMessage().startsWith("ip addr: RTNETLINK answers: File exists ("), exists.getMessage());
        assertEquals("ip addr: RTNETLINK answers: Cannot assign requested address (p1p1 has no 127.0.0.7/24)",
                assertThrows(ShellException.class, () -> shell.run("ip addr del 127.0.0.7/24 dev p1p1"))
                        .getMessage());
        assertEquals("ip route: RTNETLINK answers: Network is unreachable (no emulated NIC port reaches 10.1.2.3)",
                assertThrows(ShellException.class, () -> shell.run("ip route get 10.1.2.3")).getMessage());
    }

    @Test
    void shouldPrintHelpSayingItSpeaksOfTheEmulatedNicOnly() throws Exception {
        String help = shell.run("ip help");

        assertTrue(help.contains("emulated offload NIC ports only"), help);
        for (String command : new String[] {"addr", "link", "route"}) {
            assertTrue(help.contains("  " + command + " "), command + " in\n" + help);
            assertTrue(shell.run("ip " + command + " --help").startsWith("Usage: ip " + command), command);
        }
    }
}
