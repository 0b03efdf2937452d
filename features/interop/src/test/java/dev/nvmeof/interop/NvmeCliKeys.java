package dev.nvmeof.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nvme-cli's DH-HMAC-CHAP key commands ({@code gen-dhchap-key}, {@code check-dhchap-key}) and TLS PSK commands
 * ({@code gen-tls-key}, {@code check-tls-key}) of Debian's nvme-cli 2.3 with libnvme 1.3, run in a guest or on this
 * machine: secrets made and checked by a program other than ours.
 */
final class NvmeCliKeys {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DHHC = Pattern.compile("DHHC-1:0[0-3]:[A-Za-z0-9+/]+={0,2}:");
    /** nvme-cli 2.3 makes hash ids 01 and 02 only ("Invalid HMAC identifier 0" for 00). */
    private static final Pattern TLS_KEY = Pattern.compile("NVMeTLSkey-1:0[12]:[A-Za-z0-9+/]+={0,2}:");
    private static final Pattern VALID = Pattern.compile(
            "Key is valid \\(HMAC (\\d), length (\\d+), CRC ([0-9a-f]{8})\\)");

    /** Runs one shell command line and returns its exit status and combined output. */
    interface Shell {
        QemuGuest.ExecResult run(String commandLine);
    }

    /** What {@code check-dhchap-key} or {@code check-tls-key} said of a valid key. */
    record Check(int hmac, int keyLength, String crc) {
    }

    private final Shell shell;

    private NvmeCliKeys(Shell shell) {
        this.shell = shell;
    }

    /** nvme-cli in the guest (copied into its initramfs with its libraries). */
    static NvmeCliKeys in(QemuGuest guest) {
        return new NvmeCliKeys(command -> guest.exec(command, TIMEOUT));
    }

    /**
     * nvme-cli on this machine ({@code /usr/sbin/nvme}, which {@code .ci/run} installs).
     *
     * @throws GuestUnavailableException when it is not installed
     */
    static NvmeCliKeys onThisMachine() {
        if (!Files.isExecutable(Path.of("/usr/sbin/nvme"))) {
            throw new GuestUnavailableException("nvme-cli is not installed on this machine: apt-get install nvme-cli");
        }
        return new NvmeCliKeys(NvmeCliKeys::runHere);
    }

    /** Runs one nvme-cli command line (any subcommand) and returns its exit status and combined output. */
    QemuGuest.ExecResult run(String commandLine) {
        return shell.run(commandLine);
    }

    /** {@code nvme gen-dhchap-key}: a random key of {@code keyLength} bytes, transformed with HMAC {@code hmac}. */
    String generate(int hmac, int keyLength, String nqn) {
        return secret("nvme gen-dhchap-key --hmac=" + hmac + " --key-length=" + keyLength + " --nqn=" + nqn);
    }

    /**
     * {@code nvme gen-dhchap-key --secret=HEX}: for HMAC 1..3 nvme-cli stores {@code HMAC(secret, nqn ||
     * "NVMe-over-Fabrics")} (libnvme's {@code nvme_gen_dhchap_key}), for 0 the secret itself.
     */
    String generateFrom(byte[] secret, int hmac, String nqn) {
        StringBuilder hex = new StringBuilder();
        for (byte b : secret) {
            hex.append(String.format("%02x", b & 0xFF));
        }
        return secret("nvme gen-dhchap-key --secret=" + hex + " --hmac=" + hmac + " --key-length=" + secret.length
                + " --nqn=" + nqn);
    }

    /** {@code nvme check-dhchap-key}, which must find the key valid. */
    Check check(String key) {
        QemuGuest.ExecResult result = shell.run("nvme check-dhchap-key --key='" + key + "'");
        Matcher valid = VALID.matcher(result.output());
        assertTrue(result.succeeded() && valid.find(), () -> "nvme check-dhchap-key refused a key: "
                + result.output());
        return new Check(Integer.parseInt(valid.group(1)), Integer.parseInt(valid.group(2)), valid.group(3));
    }

    /**
     * {@code nvme gen-tls-key --hmac=N}: a random configured PSK of the hash's length (1: SHA-256, 32 bytes;
     * 2: SHA-384, 48 bytes) in the interchange format {@code NVMeTLSkey-1:0N:base64(key || CRC-32):}.
     */
    String generateTls(int hmac) {
        String command = "nvme gen-tls-key --hmac=" + hmac;
        QemuGuest.ExecResult result = shell.run(command);
        assertEquals(0, result.exitStatus(), () -> command + ": " + result.output());
        String key = result.output().strip();
        assertTrue(TLS_KEY.matcher(key).matches(), () -> command + " printed no NVMeTLSkey-1 key: " + key);
        return key;
    }

    /** {@code nvme check-tls-key}, which must find the key valid. */
    Check checkTls(String key) {
        QemuGuest.ExecResult result = shell.run("nvme check-tls-key --key='" + key + "'");
        Matcher valid = VALID.matcher(result.output());
        assertTrue(result.succeeded() && valid.find(), () -> "nvme check-tls-key refused a key: " + result.output());
        return new Check(Integer.parseInt(valid.group(1)), Integer.parseInt(valid.group(2)), valid.group(3));
    }

    /** {@code nvme check-dhchap-key} on a key it must refuse; returns what it printed. */
    String checkRefuses(String key) {
        QemuGuest.ExecResult result = shell.run("nvme check-dhchap-key --key='" + key + "'");
        assertTrue(!result.succeeded() && !VALID.matcher(result.output()).find(),
                () -> "nvme check-dhchap-key accepted: " + result.output());
        return result.output().strip();
    }

    private String secret(String command) {
        QemuGuest.ExecResult result = shell.run(command);
        assertEquals(0, result.exitStatus(), () -> command + ": " + result.output());
        String key = result.output().strip();
        assertTrue(DHHC.matcher(key).matches(), () -> command + " printed no DHHC-1 secret: " + key);
        return key;
    }

    private static QemuGuest.ExecResult runHere(String commandLine) {
        Path output = null;
        try {
            output = Files.createTempFile("nvme-cli", ".out");
            Process process = new ProcessBuilder("sh", "-c", commandLine).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("not finished within " + TIMEOUT + ": " + commandLine);
            }
            return new QemuGuest.ExecResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GuestUnavailableException("cannot run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + commandLine, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }
}
