package dev.nvmeof.interop;

import dev.nvmeof.testkit.NvmeCliJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * nvme-cli's JSON as the reference for our own shell's {@code nvme ... -o json}: the kernel host in the guest
 * (nvme-cli 2.3, connected to our target like {@link KernelHostOurTargetTest}) prints {@link Command}'s five outputs;
 * this class checks they still have the key paths and value types recorded in
 * {@code src/test/resources/nvme-cli-2.3/} (from {@link NvmeCliCapture}); then our own shell ({@link OurShell}: our
 * host and the Gogo {@code nvme} command in this JVM, connected to the same target) runs the same commands and
 * {@link #assertOurShellMatchesNvmeCli} compares its JSON with nvme-cli's live output. Both sets of outputs are saved
 * under {@code target/interop/nvme-cli-json/} (ours as {@code ours-*.json}).
 *
 * <p>The shapes compared come from one situation: one subsystem with one namespace, the host connected (so
 * {@code Devices[]} has an element) and discovery from the connected host.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class NvmeCliJsonKeysTest {
    static final String NQN = "testnqn";

    /** The commands whose JSON our shell must reproduce; {@link #file} names the reference output. */
    enum Command {
        LIST("list.json", "nvme list -o json"),
        ID_CTRL("id-ctrl.json", "nvme id-ctrl /dev/nvme0 -o json"),
        ID_NS("id-ns.json", "nvme id-ns /dev/nvme0n1 -o json"),
        SMART_LOG("smart-log.json", "nvme smart-log /dev/nvme0 -o json"),
        DISCOVER("discover.json", "nvme discover -t tcp -a " + QemuGuest.HOST_ALIAS + " -s "
                + QemuGuest.DISCOVERY_PORT + " -o json");

        final String file;
        final String nvmeCli;

        Command(String file, String nvmeCli) {
            this.file = file;
            this.nvmeCli = nvmeCli;
        }

        /**
         * The same command for our shell, whose host reaches our target directly: the guest's address and ports
         * become 127.0.0.1 and the target's listeners (our host's controller is nvme0 too).
         */
        String ourShell(OurTargetRig rig) {
            return this == DISCOVER
                    ? "nvme discover -t tcp -a 127.0.0.1 -s " + rig.discoveryAddress.getPort() + " -o json"
                    : nvmeCli;
        }

        /** nvme-cli 2.3's output recorded against our target ({@code src/test/resources/nvme-cli-2.3/}). */
        String recorded() {
            try (InputStream in = NvmeCliJsonKeysTest.class.getResourceAsStream("/nvme-cli-2.3/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("no test resource /nvme-cli-2.3/" + file);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static OurTargetRig rig;
    private static OurShell ourShell;
    /** What the guest's nvme-cli printed this run (stdout only). */
    private static final Map<Command, String> NVME_CLI = new EnumMap<>(Command.class);
    /** What our shell printed for the same commands, its host connected to the same target. */
    private static final Map<Command, String> OUR_SHELL = new EnumMap<>(Command.class);

    @BeforeAll
    static void connectBothHostsAndRunNvmeCliAndOurShell() throws IOException {
        rig = OurTargetRig.start("nvme-cli-json", 1, SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 64L << 20, 512)));
        QemuGuest.ExecResult connect = rig.connect(NQN, "");
        assertEquals(0, connect.exitStatus(), () -> connect.output() + rig.dmesg());
        assertEquals("/dev/nvme0n1", rig.awaitNamespaceDevice());
        assertEquals("nvme0", rig.controllerOf(NQN));
        Path saved = Path.of(System.getProperty("interop.output", "target/interop"), "nvme-cli-json");
        Files.createDirectories(saved);
        for (Command command : Command.values()) {
            String json = nvmeCliStdout(command.nvmeCli);
            NVME_CLI.put(command, json);
            Files.writeString(saved.resolve(command.file), json);
        }

        // Our host and shell in this JVM, connected to the same target the kernel host is connected to.
        ourShell = new OurShell(saved);
        String ourConnect = "nvme connect -t tcp -a 127.0.0.1 -s " + rig.nvmeAddress.getPort() + " -n " + NQN;
        try {
            assertEquals("connecting to device: nvme0\n", ourShell.run(ourConnect), ourConnect);
            for (Command command : Command.values()) {
                String json = ourShell.run(command.ourShell(rig));
                OUR_SHELL.put(command, json);
                Files.writeString(saved.resolve("ours-" + command.file), json);
            }
        } catch (Exception e) {
            throw new AssertionError("our shell: " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void stop() {
        if (ourShell != null) {
            ourShell.close();
        }
        if (rig != null) {
            rig.disconnectAll();
            rig.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void shouldPrintTheRecordedKeyPathsWhenNvmeCliRunsTheCommandAgainstOurTarget(Command command) {
        assertSameShape(command + ": nvme-cli now vs recorded", command.recorded(), NVME_CLI.get(command));
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void shouldPrintNvmeCliKeyPathsAndTypesWhenOurShellRunsTheCommandAgainstTheSameTarget(Command command) {
        assertOurShellMatchesNvmeCli(command, NVME_CLI.get(command), OUR_SHELL.get(command));
    }

    /**
     * Fails unless {@code ourShellJson} (our shell's stdout for {@code command}) is strict JSON with exactly
     * nvme-cli's key paths, in nvme-cli's order, each with nvme-cli's value types (128-bit counters are strings).
     * Values are not compared.
     */
    static void assertOurShellMatchesNvmeCli(Command command, String nvmeCliJson, String ourShellJson) {
        assertSameShape(command + " (" + command.nvmeCli + "): our shell vs nvme-cli", nvmeCliJson, ourShellJson);
    }

    /** Every difference of shape between two JSON documents, empty when none: missing, extra, types, order. */
    static List<String> shapeDifferences(String expectedJson, String actualJson) {
        Map<String, Set<String>> expected = NvmeCliJson.keyPathTypes(expectedJson);
        Map<String, Set<String>> actual;
        try {
            actual = NvmeCliJson.keyPathTypes(actualJson);
        } catch (IllegalArgumentException e) {
            return List.of("not valid JSON: " + e.getMessage());
        }
        List<String> differences = new ArrayList<>();
        expected.keySet().stream().filter(p -> !actual.containsKey(p)).forEach(p -> differences.add("missing " + p));
        actual.keySet().stream().filter(p -> !expected.containsKey(p)).forEach(p -> differences.add("extra " + p));
        expected.forEach((path, types) -> {
            Set<String> theirs = actual.get(path);
            if (theirs != null && !theirs.equals(types)) {
                differences.add("type of " + path + ": " + String.join("|", theirs) + " instead of "
                        + String.join("|", types));
            }
        });
        if (differences.isEmpty() && !List.copyOf(expected.keySet()).equals(List.copyOf(actual.keySet()))) {
            List<String> want = List.copyOf(expected.keySet());
            List<String> got = List.copyOf(actual.keySet());
            int at = 0;
            while (want.get(at).equals(got.get(at))) {
                at++;
            }
            differences.add("order: key path " + at + " is " + got.get(at) + " instead of " + want.get(at));
        }
        return differences;
    }

    static void assertSameShape(String what, String expectedJson, String actualJson) {
        List<String> differences = shapeDifferences(expectedJson, actualJson);
        if (!differences.isEmpty()) {
            fail(what + ": " + String.join("; ", differences) + "\n--- expected ---\n" + expectedJson
                    + "--- actual ---\n" + actualJson);
        }
    }

    /** nvme-cli's stdout alone (stderr kept apart: it is not part of the JSON); fails on a non-zero exit. */
    private static String nvmeCliStdout(String command) {
        QemuGuest.ExecResult result = rig.guest.exec(command + " 2> /tmp/nvme.err", OurTargetRig.SHORT);
        if (!result.succeeded()) {
            fail(command + " exited " + result.exitStatus() + ": " + result.output()
                    + rig.guest.exec("cat /tmp/nvme.err", OurTargetRig.SHORT).output());
        }
        return result.output();
    }
}
