package dev.nvmeof.interop;

import dev.nvmeof.testkit.NvmeCliJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmeof.target.NamespaceConfig;
import dev.nvmeof.target.SubsystemConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A capture tool, not a check: runs nvme-cli (the guest's, 2.3) against our target and saves each command's stdout
 * byte for byte (through base64, so the control channel's line handling cannot touch it), its stderr and exit
 * status under {@code -Dnvmecli.capture.dir=DIR} (default {@code target/interop/nvme-cli-capture}), plus
 * {@code SUMMARY.md} with the key paths and value types of every JSON output. Its name does not end in {@code Test},
 * so a build never runs it (nor reports it skipped); run it by name:
 * {@code mvn -pl features/interop test -Dtest=NvmeCliCapture -Dnvmecli.capture.dir=/tmp/nvmecli-json}.
 * The five JSON files {@link NvmeCliJsonKeysTest} holds as nvme-cli's reference
 * ({@code src/test/resources/nvme-cli-2.3/}) came from it.
 */
@Tag("interop")
@ExtendWith(InteropExtension.class)
class NvmeCliCapture {
    static final String NQN = "testnqn";

    private record Captured(String name, String command, int status, byte[] stdout, byte[] stderr) {
    }

    @Test
    void captureNvmeCliOutputsAgainstOurTarget() throws Exception {
        Path dir = Path.of(System.getProperty("nvmecli.capture.dir",
                System.getProperty("interop.output", "target/interop") + "/nvme-cli-capture"));
        Files.createDirectories(dir);
        String discoverAddr = "-t tcp -a " + QemuGuest.HOST_ALIAS + " -s ";
        List<Captured> all = new ArrayList<>();
        long started = System.nanoTime();
        try (OurTargetRig rig = OurTargetRig.start("nvmecli-capture", 1,
                SubsystemConfig.of(NQN, NamespaceConfig.ram(1, 64L << 20, 512)))) {
            long booted = System.nanoTime();
            all.add(capture(rig, "version", "nvme version"));
            all.add(capture(rig, "list-empty.json", "nvme list -o json"));
            all.add(capture(rig, "list-empty.txt", "nvme list"));
            all.add(capture(rig, "list-subsys-empty.json", "nvme list-subsys -o json"));
            all.add(capture(rig, "list-subsys-empty.txt", "nvme list-subsys"));
            // Discovery before any connection: the discovery controller is the only controller then.
            for (int port : new int[] {QemuGuest.DISCOVERY_PORT, QemuGuest.NVME_TCP_PORT}) {
                String suffix = port == QemuGuest.DISCOVERY_PORT ? "" : "-" + port;
                all.add(capture(rig, "discover" + suffix + ".json", "nvme discover " + discoverAddr + port + " -o json"));
                all.add(capture(rig, "discover" + suffix + ".txt", "nvme discover " + discoverAddr + port));
            }

            QemuGuest.ExecResult connect = rig.connect(NQN, "");
            assertEquals(0, connect.exitStatus(), connect.output());
            assertEquals("/dev/nvme0n1", rig.awaitNamespaceDevice());
            assertEquals("nvme0", rig.controllerOf(NQN));

            Map<String, String> commands = new LinkedHashMap<>();
            commands.put("list", "nvme list");
            commands.put("list-v", "nvme list -v");
            commands.put("list-subsys", "nvme list-subsys");
            commands.put("id-ctrl", "nvme id-ctrl /dev/nvme0");
            commands.put("id-ns", "nvme id-ns /dev/nvme0n1");
            commands.put("id-ns-n1", "nvme id-ns /dev/nvme0 -n 1");
            commands.put("smart-log", "nvme smart-log /dev/nvme0");
            commands.put("error-log", "nvme error-log /dev/nvme0");
            commands.put("discover-connected", "nvme discover " + discoverAddr + QemuGuest.DISCOVERY_PORT);
            for (Map.Entry<String, String> e : commands.entrySet()) {
                all.add(capture(rig, e.getKey() + ".json", e.getValue() + " -o json"));
                all.add(capture(rig, e.getKey() + ".txt", e.getValue()));
            }
            all.add(capture(rig, "dmesg", "dmesg"));
            rig.disconnectAll();
            long done = System.nanoTime();
            Files.writeString(dir.resolve("timing.txt"), "target+guest start " + (booted - started) / 1_000_000
                    + " ms, captures " + (done - booted) / 1_000_000 + " ms\n");
        }
        for (Captured c : all) {
            Files.write(dir.resolve(c.name()), c.stdout());
            if (c.stderr().length > 0) {
                Files.write(dir.resolve(c.name() + ".stderr"), c.stderr());
            }
        }
        Files.writeString(dir.resolve("SUMMARY.md"), summary(all));
    }

    private static Captured capture(OurTargetRig rig, String name, String command) {
        String status = rig.guest.execOk(command + " > /tmp/cap.out 2> /tmp/cap.err; echo $?", OurTargetRig.SHORT);
        byte[] stdout = decode(rig.guest.execOk("base64 /tmp/cap.out", OurTargetRig.SHORT));
        byte[] stderr = decode(rig.guest.execOk("base64 /tmp/cap.err", OurTargetRig.SHORT));
        return new Captured(name, command, Integer.parseInt(status.trim()), stdout, stderr);
    }

    private static byte[] decode(String base64Lines) {
        return Base64.getMimeDecoder().decode(base64Lines.replaceAll("\\s", ""));
    }

    private static String summary(List<Captured> all) throws IOException {
        StringBuilder out = new StringBuilder("# nvme-cli 2.3 (guest) against our target: outputs and JSON key paths\n\n")
                .append("Captured by NvmeCliCapture. Guest: Debian 12, Linux 6.1, nvme-cli from the host's"
                        + " /usr/sbin/nvme. Kernel host connected to our target (subsystem `" + NQN + "`, one 64 MiB"
                        + " RAM namespace, 512 B blocks) at " + QemuGuest.HOST_ALIAS + ":4420; discovery at :8009"
                        + " (and :4420). Files: NAME.json / NAME.txt = stdout verbatim, NAME.*.stderr when stderr"
                        + " was not empty.\n\n")
                .append("| file | command | exit | stdout bytes | stderr |\n|---|---|---|---|---|\n");
        for (Captured c : all) {
            out.append("| ").append(c.name()).append(" | `").append(c.command()).append("` | ").append(c.status())
                    .append(" | ").append(c.stdout().length).append(" | ")
                    .append(new String(c.stderr(), StandardCharsets.UTF_8).strip().replace("\n", " / ")
                            .replace("|", "\\|"))
                    .append(" |\n");
        }
        for (Captured c : all) {
            if (!c.name().endsWith(".json")) {
                continue;
            }
            out.append("\n## ").append(c.name()).append(" — `").append(c.command()).append("`\n\n");
            String text = new String(c.stdout(), StandardCharsets.UTF_8);
            try {
                Map<String, java.util.Set<String>> paths = NvmeCliJson.keyPathTypes(text);
                int width = paths.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
                out.append(paths.size()).append(" key paths, in order (then the JSON type of their values):\n\n```\n");
                paths.forEach((p, types) -> out.append(String.format("%-" + width + "s%s%n", p,
                        types.isEmpty() ? "(no element)" : String.join("|", types))));
                out.append("```\n");
            } catch (IllegalArgumentException e) {
                out.append("NOT valid JSON: ").append(e.getMessage()).append("\n");
            }
        }
        return out.toString();
    }
}
