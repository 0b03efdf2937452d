package dev.nvmeof.itest;

import static dev.nvmeof.itest.InFramework.awaitListener;
import static dev.nvmeof.itest.InFramework.awaitService;
import static dev.nvmeof.itest.InFramework.WAIT_SECONDS;
import static dev.nvmeof.itest.InFramework.configure;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;



import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;


import dev.nvmeof.api.BlockDevice;
import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.ControllerState;
import dev.nvmeof.api.NvmeController;
import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeHost;
import dev.nvmeof.protocol.AdminCommands;
import dev.nvmeof.protocol.AsyncEvent;
import dev.nvmeof.protocol.ChangedNamespaceListFlyweight;
import dev.nvmeof.protocol.CommandSpecificStatus;
import dev.nvmeof.protocol.ConnectResponse;
import dev.nvmeof.protocol.FabricsCommands;
import dev.nvmeof.protocol.IdentifyCns;
import dev.nvmeof.protocol.LogPageId;
import dev.nvmeof.protocol.NamespaceListFlyweight;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapFailure;
import dev.nvmeof.protocol.auth.DhchapFailureReason;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapHost;
import dev.nvmeof.protocol.auth.DhchapMessage;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskHash;
import dev.nvmeof.target.NvmeTarget;
import dev.nvmeof.testkit.NvmeTcpTestClient;

/**
 * The target deployed in Felix and driven by ConfigAdmin: a subsystem declared by a factory configuration serves; a
 * namespace configuration added at run time reaches a connected host as a Namespace Attribute Changed event, and the
 * host then finds it in the changed namespace list and the active namespace list; deleting the configuration takes it
 * away again; deleting the subsystem's configuration disconnects the host. TLS listeners take their keyring from the
 * target's configuration, which refuses one that others may read.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class TargetConfigurationIT {
    private static final String NQN = "nqn.2026-11.dev.nvmeof:itest";
    private static final String TLS_HOST = "nqn.2026-12.dev.nvmeof:tls-host";
    /** nvme-cli 2.3 "gen-dhchap-key -s 000102..1f -m 0". */
    private static final String DHCHAP_SECRET = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private NvmeTcpTestClient host;

    @Configuration
    public Option[] config() {
        return StackOptions.stack();
    }

    @After
    public void closeHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    public void shouldAnnounceNamespacesAddedAndRemovedByConfiguration() throws Exception {
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"});
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
        String first = configure(configurationAdmin, "dev.nvmeof.target.namespace",
                "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        NvmeTarget target = awaitService(context, NvmeTarget.class);
        host = NvmeTcpTestClient.open(awaitListener(context, target));
        host.connectAndEnable(NQN, 0);
        assertArrayEquals(new int[] {1}, activeNamespaces());

        int aer = sendAer();
        String second = configure(configurationAdmin, "dev.nvmeof.target.namespace",
                "?", "subsystem", NQN, "nsid", 2, "size", "2M");
        assertNamespaceNotice(host.await(aer));
        assertArrayEquals(new int[] {2}, changedNamespaces());
        assertArrayEquals(new int[] {1, 2}, activeNamespaces());
        assertArrayEquals("reading the changed list without RAE clears it", new int[0], changedNamespaces());

        aer = sendAer();
        configurationAdmin.listConfigurations("(service.pid=" + second + ")")[0].delete();
        assertNamespaceNotice(host.await(aer));
        assertArrayEquals(new int[] {2}, changedNamespaces());
        assertArrayEquals(new int[] {1}, activeNamespaces());
        assertNotNull(first);
    }

    @Test
    public void shouldDisconnectHostsWhenTheSubsystemConfigurationIsDeleted() throws Exception {
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"});
        String subsystem = configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        NvmeTarget target = awaitService(context, NvmeTarget.class);
        host = NvmeTcpTestClient.open(awaitListener(context, target));
        host.connectAndEnable(NQN, 0);
        assertTrue(target.subsystems().contains(NQN));

        configurationAdmin.listConfigurations("(service.pid=" + subsystem + ")")[0].delete();
        assertTrue("the target closes the controller's connection", host.awaitClose());
        assertFalse(target.subsystems().contains(NQN));
    }

    @Test
    public void shouldApplyTheSubsystemsDhchapKeyringFromItsConfiguration() throws Exception {
        // The file is mode 600, as the component insists.
        Path keyring = Files.createTempFile("dhchap", ".keys", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyring, NvmeTcpTestClient.HOST_NQN + " " + DHCHAP_SECRET + "\n");
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"});
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN,
                "dhchapKeyring", keyring.toString(), "dhchapRequired", true, "dhchapHashes", "hmac(sha384)",
                "dhchapGroups", new String[] {"ffdhe3072", "null"});
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        NvmeTarget target = awaitService(context, NvmeTarget.class);

        host = NvmeTcpTestClient.open(awaitListener(context, target));
        NvmeTcpTestClient.Completion listed = host.connect(NQN, 0, 0xFFFF, 31, 0);
        assertTrue(listed.toString(), listed.ok());
        assertTrue("the host in the keyring must authenticate", ConnectResponse.isAuthenticationRequired(
                listed.dw0()));
        // dhchapHashes allows SHA-384 only: a host offering SHA-256 alone is refused at AUTH_Negotiate.
        byte[] negotiate = new DhchapHost(DhchapSecret.parse(DHCHAP_SECRET), Optional.empty(),
                NvmeTcpTestClient.HOST_NQN, NQN, List.of(DhchapHash.SHA_256), List.of(DhGroup.values()),
                new SecureRandom()).negotiate(1);
        assertTrue(host.command(sqe -> FabricsCommands.authenticationSend(sqe, 0, negotiate.length),
                ByteBuffer.wrap(negotiate), null).ok());
        ByteBuffer answer = ByteBuffer.allocate(4096);
        assertTrue(host.command(sqe -> FabricsCommands.authenticationReceive(sqe, 0, 4096), null, answer).ok());
        assertEquals(Optional.of(DhchapFailureReason.HASH_FUNCTION_NOT_USABLE),
                ((DhchapFailure) DhchapMessage.decode(answer.array())).reason());
        host.close();

        host = NvmeTcpTestClient.open(awaitListener(context, target));
        NvmeTcpTestClient.Completion stranger = host.connect(NQN, "nqn.2026-12.dev.nvmeof:stranger", 0, 0xFFFF, 31,
                0, 0);
        assertEquals("a host not in a required keyring may not connect", CommandSpecificStatus.CONNECT_INVALID_HOST
                .code(), stranger.sc());
    }

    @Test
    public void shouldServeTlsListenersWithTheKeyringOfItsConfiguration() throws Exception {
        String key = TlsPsk.generate(TlsPskHash.SHA_256, new SecureRandom()).format();
        Path keyring = Files.createTempFile("tls", ".keys", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyring, TLS_HOST + " " + NQN + " " + key + "\n");
        configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"},
                "tlsListen", new String[] {"127.0.0.1:0"}, "tls", "required", "tlsKeyring", keyring.toString());
        configure(configurationAdmin, "dev.nvmeof.target.subsystem", "?", "nqn", NQN);
        configure(configurationAdmin, "dev.nvmeof.target.namespace", "?", "subsystem", NQN, "nsid", 1, "size", "1M");
        NvmeTarget target = awaitService(context, NvmeTarget.class);
        awaitListener(context, target);
        int tlsPort = target.listeners().get(1).getPort(); // listen first, then tlsListen
        NvmeHost nvme = awaitService(context, NvmeHost.class);
        String options = "transport=tcp,traddr=127.0.0.1,trsvcid=" + tlsPort + ",nqn=" + NQN + ",hostnqn=" + TLS_HOST;

        NvmeController controller = nvme.connect(ConnectOptions.parse(options + ",tls_key=" + key));
        try {
            assertEquals(ControllerState.LIVE, controller.state());
            ByteBuffer written = ByteBuffer.allocateDirect(4096);
            new Random(5).ints(1024).forEach(written::putInt);
            written.flip();
            BlockDevice device = controller.namespaces().get(0).device();
            device.write(8, written.duplicate(), false).get(WAIT_SECONDS, TimeUnit.SECONDS);
            ByteBuffer read = ByteBuffer.allocateDirect(4096);
            device.read(8, read).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("the data came back through TLS", written, read);
        } finally {
            controller.disconnect();
        }
        try {
            nvme.connect(ConnectOptions.parse(options + ",ctrl_loss_tmo=0"));
            fail("a host without TLS got through a TLS-only listener");
        } catch (NvmeException expected) {
            assertFalse(expected.getMessage(), expected.getMessage().contains(key.substring(16, 40)));
        }
    }

    @Test
    public void shouldRefuseATlsKeyringOpenToOthersNamingItAndNoKey() throws Exception {
        String key = TlsPsk.generate(TlsPskHash.SHA_384, new SecureRandom()).format();
        Path keyring = Files.createTempFile("tls", ".keys", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(keyring, TLS_HOST + " " + NQN + " " + key + "\n");
        CountDownLatch refused = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        LogListener listener = entry -> {
            String text = entry.getMessage() + " " + entry.getException();
            seen.add(text);
            if (text.contains("NVMe/TCP target not started: TLS keyring " + keyring + " is open to others")) {
                refused.countDown();
            }
        };
        LogReaderService logs = awaitService(context, LogReaderService.class);
        logs.addLogListener(listener);
        try {
            configure(configurationAdmin, "dev.nvmeof.target", null, "listen", new String[] {"127.0.0.1:0"},
                    "tlsListen", new String[] {"127.0.0.1:0"}, "tlsKeyring", keyring.toString());

            assertTrue("no log names the refused keyring: " + seen, refused.await(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            logs.removeLogListener(listener);
        }
        assertNull("no target starts with a keyring others can read", context.getServiceReference(NvmeTarget.class));
        for (String line : seen) {
            assertFalse(line, line.contains(key.substring(16, 40)));
        }
    }

    private int sendAer() throws Exception {
        AdminCommands.asyncEventRequest(host.sqe, host.cid());
        return host.send(null, null);
    }

    private static void assertNamespaceNotice(NvmeTcpTestClient.Completion completion) {
        assertTrue(completion.toString(), completion.ok());
        assertTrue(AsyncEvent.of(completion.dw0()).isNamespaceAttributeChanged());
        assertEquals(LogPageId.CHANGED_NAMESPACE_LIST.code(), AsyncEvent.logPageId(completion.dw0()));
    }

    private int[] activeNamespaces() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        NvmeTcpTestClient.Completion c = host.command(
                sqe -> AdminCommands.identify(sqe, 0, IdentifyCns.ACTIVE_NAMESPACE_LIST, 0), null, data);
        assertTrue(c.toString(), c.ok());
        return new NamespaceListFlyweight().wrap(data, 0).toArray();
    }

    private int[] changedNamespaces() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        NvmeTcpTestClient.Completion c = host.command(sqe -> AdminCommands.getLogPage(sqe, 0,
                LogPageId.CHANGED_NAMESPACE_LIST.code(), 0xFFFFFFFF, 4096, 0, false), null, data);
        assertTrue(c.toString(), c.ok());
        return new ChangedNamespaceListFlyweight().wrap(data, 0).toArray();
    }
}
