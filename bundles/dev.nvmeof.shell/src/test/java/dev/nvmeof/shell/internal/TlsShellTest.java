package dev.nvmeof.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.ListenerSecurity;

/**
 * NVMe/TCP over TLS from the shell: {@code --tls-key}, {@code --tls --keyring} against the fixture's target with a
 * TLS-only and a TLS-allowed listener beside its plain one; the discovery log's TREQ and SECTYPE; and the TLS key
 * commands, against what nvme-cli 2.3 printed on Debian 12 (the interop suite runs nvme-cli itself).
 */
class TlsShellTest extends ShellSessionTest {
    private final SecureRandom random = new SecureRandom();
    private final TlsPsk key = TlsPsk.generate(TlsPskHash.SHA_256, random);
    private final TlsPsk discoveryKey = TlsPsk.generate(TlsPskHash.SHA_384, random);
    private final TlsPsk wrongKey = TlsPsk.generate(TlsPskHash.SHA_256, random);
    private TlsPskKeyring targetKeys;
    private int tlsPort;
    private int allowedPort;

    @BeforeEach
    void listenWithTls() throws IOException {
        String host = shell.host.identity().hostnqn();
        targetKeys = TlsPskKeyring.read(keyring("target.keys", host + " " + ShellFixture.NQN + " " + key.format(),
                host + " " + ConnectOptions.DISCOVERY_NQN + " " + discoveryKey.format()));
        tlsPort = shell.target.listen(new InetSocketAddress("127.0.0.1", 0), ListenerSecurity.tlsRequired(targetKeys))
                .getPort();
        allowedPort = shell.target.listen(new InetSocketAddress("127.0.0.1", 0),
                ListenerSecurity.tlsAllowed(targetKeys)).getPort();
    }

    /** The target's listeners close before their keyring does. */
    @Override
    @AfterEach
    void stopShell() {
        super.stopShell();
        targetKeys.close();
    }

    private Path keyring(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private String connect(int port) {
        return "nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n " + ShellFixture.NQN;
    }

    @Test
    void shouldConnectOverTlsWithTheKeyGivenAndMoveData() throws Exception {
        assertEquals("connecting to device: nvme0\n", shell.run(connect(tlsPort) + " --tls-key " + key.format()));

        assertTrue(shell.host.controller("nvme0").orElseThrow().options().tls());
        assertDataRoundTrips();
    }

    @Test
    void shouldConnectOverTlsWithAKeyringNamedRelativeToTheSessionAndTheUnderscoreSpelling() throws Exception {
        keyring("host.keys", "# this host's TLS PSKs",
                shell.host.identity().hostnqn() + " " + ShellFixture.NQN + " " + key.format());

        assertEquals("connecting to device: nvme0\n", shell.run(connect(tlsPort) + " --tls --keyring=host.keys"));
        assertEquals("connecting to device: nvme1\n", shell.run(connect(allowedPort) + " --tls_key=" + key.format()));

        assertDataRoundTrips();
    }

    @Test
    void shouldFailWithTheTransportsMessageWhenTheKeyIsWrong() {
        ShellException e = assertThrows(ShellException.class,
                () -> shell.run(connect(tlsPort) + " --tls-key " + wrongKey.format()));

        assertTrue(e.getMessage().startsWith("nvme connect: "), e.getMessage());
        assertTrue(e.getMessage().contains("PSK for identity NVMe0R01 " + shell.host.identity().hostnqn() + " "
                + ShellFixture.NQN + " differs from ours"), e.getMessage());
        assertTrue(e.getMessage().contains("check the TLS key"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertTrue(shell.host.controllers().isEmpty());
    }

    @Test
    void shouldRefuseTlsOverOffloadNamingEachDeviceThatDoesNotHonourIt() {
        ShellException e = assertThrows(ShellException.class, () -> shell.run("nvme connect -t tcp_offload"
                + " -a 127.0.0.1 -s " + tlsPort + " -n " + ShellFixture.NQN + " --tls-key " + key.format()));

        assertTrue(e.getMessage().startsWith("nvme connect: "), e.getMessage());
        assertTrue(e.getMessage().contains("acme-A0001 lost: does not honour tls,tls_key"), e.getMessage());
        assertTrue(e.getMessage().contains("acme-B0002 lost: does not honour tls,tls_key"), e.getMessage());
    }

    @Test
    void shouldSayTlsNeedsAKey() {
        ShellException e = assertThrows(ShellException.class, () -> shell.run(connect(tlsPort) + " --tls"));

        assertTrue(e.getMessage().startsWith("nvme connect: "), e.getMessage());
        assertTrue(e.getMessage().contains("tls") && e.getMessage().contains("needs a key"), e.getMessage());
    }

    @Test
    void shouldShowTreqAndSectypeOfEachListenerAsNvmeCliNamesThem() throws Exception {
        String overTls = shell.run("nvme discover -t tcp -a 127.0.0.1 -s " + tlsPort + " --tls-key "
                + discoveryKey.format());
        String plain = shell.run("nvme discover -t tcp -a 127.0.0.1 -s " + shell.port);
        String json = shell.run("nvme discover -t tcp -a 127.0.0.1 -s " + allowedPort + " -o json");

        // Every listener's entries are in every listener's log: the same lines whichever was asked.
        for (String log : List.of(overTls, plain)) {
            assertTrue(entry(log, tlsPort).contains("\ntreq:    required, sq flow control disable supported\n"), log);
            assertTrue(entry(log, tlsPort).endsWith("\nsectype: tls13\n"), log);
            assertTrue(entry(log, allowedPort).contains("\ntreq:    not required, sq flow control disable supported\n"),
                    log);
            assertTrue(entry(log, allowedPort).endsWith("\nsectype: tls13\n"), log);
            assertTrue(entry(log, shell.port).contains("\ntreq:    not specified, sq flow control disable supported\n"),
                    log);
            assertTrue(entry(log, shell.port).endsWith("\nsectype: none\n"), log);
        }
        assertTrue(json.contains("\"treq\":\"required, sq flow control disable supported\",\n"), json);
        assertTrue(json.contains("\"treq\":\"not required, sq flow control disable supported\",\n"), json);
        assertTrue(json.contains("\"sectype\":\"tls13\""), json);
        assertEquals("tls", DiscoveryFormat.sectype(1), "libnvme's name for TLS 1.2");
        assertEquals("unrecognized", DiscoveryFormat.sectype(3));
    }

    /** The discovery log entry of subsystem testnqn at {@code port}, from its {@code trtype:} line to the next. */
    private static String entry(String log, int port) {
        for (String entry : log.split("=====Discovery Log Entry \\d+======\n")) {
            if (entry.contains("\ntrsvcid: " + port + "\nsubnqn:  " + ShellFixture.NQN + "\n")) {
                return entry;
            }
        }
        throw new AssertionError("no entry of " + ShellFixture.NQN + " at port " + port + " in\n" + log);
    }

    @Test
    void shouldConnectAllOverTls() throws Exception {
        Path keys = keyring("host.keys",
                shell.host.identity().hostnqn() + " " + ShellFixture.NQN + " " + key.format(),
                shell.host.identity().hostnqn() + " " + ConnectOptions.DISCOVERY_NQN + " " + discoveryKey.format());

        String out = shell.run("nvme connect-all -t tcp -a 127.0.0.1 -s " + tlsPort + " --tls --keyring " + keys);

        assertTrue(out.contains("connecting to device: nvme0 (" + ShellFixture.NQN + ")"), out);
        assertTrue(shell.host.controller("nvme0").orElseThrow().options().tls());
    }

    @Test
    void shouldNeverShowATlsKeyInASessionItsLogsOrItsErrors() throws Exception {
        StringBuilder seen = new StringBuilder();
        String text = key.format();
        String malformed = text.substring(0, 40) + (text.charAt(40) == 'A' ? 'B' : 'A') + text.substring(41);
        try (LogCapture logs = LogCapture.start()) {
            for (String line : new String[] {connect(tlsPort) + " --tls-key " + key.format() + " -v",
                "nvme list", "nvme list-subsys -v", "nvme list -o json", "nvme list-subsys -o json",
                "nvme write /dev/nvme0n1 -s 0 -c 0 -z 512 -d " + data(512), "nvme read /dev/nvme0n1 -s 0 -c 0 -z 512",
                "nvme discover -t tcp -a 127.0.0.1 -s " + tlsPort + " --tls-key " + discoveryKey.format() + " -v",
                "ofld claims -a 127.0.0.1 -s " + tlsPort + " -n " + ShellFixture.NQN, "nvme disconnect-all"}) {
                seen.append(shell.run(line));
            }
            for (String line : new String[] {connect(tlsPort) + " --tls-key " + wrongKey.format(),
                connect(tlsPort) + " --tls-key " + malformed, connect(shell.port) + " --tls-key " + key.format(),
                connect(tlsPort) + " -t tcp_offload --tls-key " + key.format(),
                "nvme check-tls-key -k " + malformed}) {
                seen.append(assertThrows(Exception.class, () -> shell.run(line)).getMessage()).append('\n');
            }
            seen.append(logs.text());
        }

        String all = seen.toString();
        assertTrue(all.contains("connecting to device: nvme0") && all.contains("differs from ours"), all);
        assertTrue(all.contains("CRC-32"), "the malformed key was refused: " + all);
        for (TlsPsk shown : List.of(key, discoveryKey, wrongKey)) {
            String base64 = shown.format().substring("NVMeTLSkey-1:01:".length(), shown.format().length() - 1);
            for (int at = 0; at + 12 <= base64.length(); at += 12) {
                assertFalse(all.contains(base64.substring(at, at + 12)), "a piece of a key was shown: " + all);
            }
        }
    }

    @Test
    void shouldMakeTlsKeysAsNvmeCliPrintsThem() throws Exception {
        String secret32 = hex(32);
        String secret48 = hex(48);

        assertEquals("NVMeTLSkey-1:01:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:\n",
                shell.run("nvme gen-tls-key -s " + secret32));
        assertEquals("NVMeTLSkey-1:02:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vcSEgBQ==:\n",
                shell.run("nvme gen-tls-key --secret=" + secret48 + " --hmac=2"));
        assertEquals("h1 sub1 NVMeTLSkey-1:01:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:\n",
                shell.run("nvme gen-tls-key -s " + secret32 + " -n h1 -c sub1"));
        assertEquals(shell.host.identity().hostnqn() + " sub1 ",
                shell.run("nvme gen-tls-key -c sub1").substring(0, shell.host.identity().hostnqn().length() + 6));
        String made = shell.run("nvme gen-tls-key -m 2").trim();
        assertTrue(made.matches("NVMeTLSkey-1:02:[A-Za-z0-9+/]{70}==:"), made);
        assertFalse(made.equals(shell.run("nvme gen-tls-key -m 2").trim()), "a new random key each time");

        assertEquals("nvme gen-tls-key: --hmac: 1 (SHA-256) or 2 (SHA-384), not 3",
                assertThrows(ShellException.class, () -> shell.run("nvme gen-tls-key -m 3")).getMessage());
        assertEquals("nvme gen-tls-key: --secret: 48 bytes for --hmac=2, not 32",
                assertThrows(ShellException.class, () -> shell.run("nvme gen-tls-key -m 2 -s " + secret32))
                        .getMessage());
        assertEquals("nvme gen-tls-key: --hostnqn needs --subsysnqn (-c): the keyring line names both",
                assertThrows(ShellException.class, () -> shell.run("nvme gen-tls-key -n h1")).getMessage());
    }

    @Test
    void shouldCheckTlsKeysWithNvmeCliLinesAndNameTheirIdentity() throws Exception {
        // Keys nvme-cli 2.3 made ("gen-tls-key -m 1", "-m 2") and its "check-tls-key" line for each.
        assertEquals("Key is valid (HMAC 1, length 32, CRC 55c3dec7)\n", shell.run("nvme check-tls-key -k "
                + "NVMeTLSkey-1:01:FwIU66n6kvnhPP+pRwwzC2iYNoF01SOfZh1LEWwAugLH3sNV:"));
        assertEquals("Key is valid (HMAC 2, length 48, CRC d11de00b)\n", shell.run("nvme check-tls-key --keydata="
                + "NVMeTLSkey-1:02:63wHweQ1KWPcbMmn484v/iv0p2wpwvqbdrosT83w3fHvIuB0a83eHGp5FUKfsDDNC+Ad0Q==:"));
        String mine = shell.run("nvme gen-tls-key").trim();
        assertTrue(shell.run("nvme check-tls-key -k " + mine).startsWith("Key is valid (HMAC 1, length 32, CRC "));

        assertEquals("NVMe0R01 h1 sub1\n", shell.run("nvme check-tls-key -k " + mine + " -n h1 -c sub1"));
        String v1 = shell.run("nvme check-tls-key -k " + mine + " -n h1 -c sub1 -I 1");
        assertTrue(v1.matches("NVMe1R01 h1 sub1 [A-Za-z0-9+/]{43}=\n"), v1);
        assertEquals("NVMe0R01 " + shell.host.identity().hostnqn() + " sub1\n",
                shell.run("nvme check-tls-key -k " + mine + " -c sub1"));

        // nvme-cli 2.3's key with its last CRC character changed.
        ShellException corrupt = assertThrows(ShellException.class, () -> shell.run("nvme check-tls-key -k "
                + "NVMeTLSkey-1:01:FwIU66n6kvnhPP+pRwwzC2iYNoF01SOfZh1LEWwAugLH3sNW:"));
        assertTrue(corrupt.getMessage().startsWith("nvme check-tls-key: ") && corrupt.getMessage().contains("CRC-32"),
                corrupt.getMessage());
        assertFalse(corrupt.getMessage().contains("FwIU66n6"), corrupt.getMessage());
        assertEquals("nvme check-tls-key: give the key once: --key (-k) or --keydata (-d)",
                assertThrows(ShellException.class, () -> shell.run("nvme check-tls-key")).getMessage());
    }

    @Test
    void shouldListTheTlsOptionsAndCommandsInTheHelp() throws Exception {
        String connect = shell.run("nvme connect --help");
        assertTrue(connect.contains("    --tls "), connect);
        assertTrue(connect.contains("    --tls-key VALUE"), connect);
        assertTrue(connect.contains("    --keyring VALUE"), connect);
        assertTrue(shell.run("nvme discover --help").contains("--tls-key"));
        assertTrue(shell.run("nvme connect-all --help").contains("--keyring"));
        String help = shell.run("nvme help");
        assertTrue(help.contains("  gen-tls-key ") && help.contains("  check-tls-key "), help);
        assertTrue(shell.run("nvme gen-tls-key --help").contains("-m, --hmac"));
    }

    private void assertDataRoundTrips() throws Exception {
        byte[] data = new byte[8 * 512];
        new Random(11).nextBytes(data);
        Files.write(dir.resolve("in.bin"), data);

        assertEquals("write: Success\n", shell.run("nvme write /dev/nvme0n1 -s 8 -c 7 -z 4096 -d in.bin"));
        assertEquals("read: Success\n", shell.run("nvme read /dev/nvme0n1 -s 8 -c 7 -z 4096 -d out.bin"));

        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out.bin")));
    }

    private String data(int bytes) throws IOException {
        Path file = dir.resolve("zeros.bin");
        Files.write(file, new byte[bytes]);
        return file.toString();
    }

    /** 00 01 02 .. as hex, as the fixed secret of nvme-cli's examples. */
    private static String hex(int bytes) {
        List<String> digits = new ArrayList<>();
        for (int i = 0; i < bytes; i++) {
            digits.add(String.format("%02x", i));
        }
        return String.join("", digits);
    }
}
