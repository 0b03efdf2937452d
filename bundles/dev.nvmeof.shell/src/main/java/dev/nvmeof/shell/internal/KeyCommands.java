package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;
import dev.nvmeof.protocol.tls.HkdfLabelEncoding;
import dev.nvmeof.protocol.tls.PskIdentity;
import dev.nvmeof.protocol.tls.TlsPsk;
import dev.nvmeof.protocol.tls.TlsPskDerivation;
import dev.nvmeof.protocol.tls.TlsPskFormatException;
import dev.nvmeof.protocol.tls.TlsPskHash;

/**
 * nvme-cli's key commands: {@code gen-dhchap-key} and {@code check-dhchap-key} (DH-HMAC-CHAP secrets),
 * {@code gen-tls-key} and {@code check-tls-key} (TLS PSKs in the interchange format). A key is printed only by the
 * command that makes it, for the user who asked; a refusal names what is wrong, never the text.
 */
final class KeyCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCommands() {
    }

    /** @param hostNqn this host's NQN, the default {@code --hostnqn} of the TLS key commands */
    static void addTo(CommandWord nvme, Supplier<String> hostNqn) {
        nvme.add(new Subcommand("gen-dhchap-key", "make a DH-HMAC-CHAP secret for in-band authentication",
                new Args.Spec("nvme gen-dhchap-key")
                        .value("secret", 's', "the key in hexadecimal (default: random)")
                        .value("key-length", 'l', "key length: 32, 48 or 64 bytes (default 32)")
                        .value("hmac", 'm', "hash the key is transformed with at use: 0 none, 1 SHA-256,"
                                + " 2 SHA-384, 3 SHA-512 (default 0)")
                        .value("nqn", 'n', "accepted as nvme-cli's; unused: the key is transformed where used"),
                KeyCommands::genDhchapKey));
        nvme.add(new Subcommand("check-dhchap-key", "check a DH-HMAC-CHAP secret",
                new Args.Spec("nvme check-dhchap-key").value("key", 'k', "the secret, DHHC-1:hh:<base64>:"),
                KeyCommands::checkDhchapKey));
        nvme.add(new Subcommand("gen-tls-key", "make a TLS PSK in the NVMe PSK interchange format",
                new Args.Spec("nvme gen-tls-key")
                        .value("secret", 's', "the key in hexadecimal, 32 bytes for --hmac=1, 48 for 2"
                                + " (default: random)")
                        .value("hmac", 'm', "hash of the retained key: 1 SHA-256, 2 SHA-384 (default 1)")
                        .value("hostnqn", 'n', "with --subsysnqn: print a TLS keyring line for this host"
                                + " (default: this host's NQN)")
                        .value("subsysnqn", 'c', "print a TLS keyring line '<hostnqn> <subsysnqn> <key>'"),
                (args, out) -> genTlsKey(args, out, hostNqn)));
        nvme.add(new Subcommand("check-tls-key", "check a TLS PSK in the NVMe PSK interchange format",
                new Args.Spec("nvme check-tls-key")
                        .value("key", 'k', "the key, NVMeTLSkey-1:hh:<base64>: (nvme-cli 2.3's option)")
                        .value("keydata", 'd', "the same, as later nvme-cli spells it")
                        .value("hostnqn", 'n', "with --subsysnqn: print the PSK identity this host offers"
                                + " (default: this host's NQN)")
                        .value("subsysnqn", 'c', "print the PSK identity offered to this subsystem")
                        .value("identity", 'I', "PSK identity version: 0 (default, as our host offers) or 1"),
                (args, out) -> checkTlsKey(args, out, hostNqn)));
    }

    /**
     * A new secret in the {@code DHHC-1} representation. Unlike nvme-cli 2.3, which prints the key already
     * transformed for {@code --nqn} when {@code --hmac} is given, the printed key is the secret itself: both ends
     * transform it with its hash and their NQNs when they use it, as the Linux kernel does.
     */
    private static void genDhchapKey(Args args, PrintStream out) {
        int hmac = (int) args.number("hmac", 0);
        if (hmac < 0 || hmac > 3) {
            throw ShellException.usage("--hmac: 0, 1, 2 or 3, not " + hmac);
        }
        Optional<DhchapHash> hash = DhchapHash.of(hmac);
        byte[] key;
        if (args.has("secret")) {
            key = hexKey(args.value("secret"));
            if (args.has("key-length") && args.number("key-length", 0) != key.length) {
                throw ShellException.usage("--secret has " + key.length + " bytes, --key-length says "
                        + args.value("key-length"));
            }
        } else {
            int length = (int) args.number("key-length", 32);
            if (length != 32 && length != 48 && length != 64) {
                throw ShellException.usage("--key-length: 32, 48 or 64, not " + length);
            }
            key = new byte[length];
            RANDOM.nextBytes(key);
        }
        try (DhchapSecret secret = DhchapSecret.of(key, hash)) {
            out.println(secret.format());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] hexKey(String hex) {
        if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*")) {
            throw ShellException.usage("--secret: hexadecimal digits, two per byte");
        }
        int length = hex.length() / 2;
        if (length != 32 && length != 48 && length != 64) {
            throw ShellException.usage("--secret: 32, 48 or 64 bytes, not " + length);
        }
        byte[] key = new byte[length];
        for (int i = 0; i < length; i++) {
            key[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return key;
    }

    /** nvme-cli's line for a valid secret; a bad one fails naming what is wrong, never echoing the text. */
    private static void checkDhchapKey(Args args, PrintStream out) {
        if (!args.has("key")) {
            throw ShellException.usage("--key is required");
        }
        try (DhchapSecret secret = DhchapSecret.parse(args.value("key"))) {
            out.printf("Key is valid (HMAC %d, length %d, CRC %08x)%n",
                    secret.transformHash().map(DhchapHash::code).orElse(0), secret.keyLength(), secret.crc32());
        } catch (DhchapSecretFormatException e) {
            throw new ShellException(ShellException.EINVAL, e.getMessage());
        }
    }

    /**
     * A new TLS PSK, printed as nvme-cli prints it ({@code NVMeTLSkey-1:01:<base64>:}). nvme-cli 2.3 cannot take a
     * {@code --secret} (it counts hex digits against the key length in bytes and always refuses); we take one of the
     * hash's length, as later versions do. Without a kernel keyring to insert into, {@code --subsysnqn} prints the
     * line for a TLS keyring file instead.
     */
    private static void genTlsKey(Args args, PrintStream out, Supplier<String> hostNqn) {
        int hmac = (int) args.number("hmac", 1);
        // nvme-cli 2.3 also takes 3 and labels a 32-byte key 03, which no TLS stack accepts.
        TlsPskHash hash = TlsPskHash.of(hmac).orElseThrow(
                () -> ShellException.usage("--hmac: 1 (SHA-256) or 2 (SHA-384), not " + hmac));
        if (args.has("hostnqn") && !args.has("subsysnqn")) {
            throw ShellException.usage("--hostnqn needs --subsysnqn (-c): the keyring line names both");
        }
        TlsPsk psk;
        if (args.has("secret")) {
            byte[] key = hexKey(args.value("secret"));
            try {
                if (key.length != hash.length()) {
                    throw ShellException.usage("--secret: " + hash.length() + " bytes for --hmac=" + hmac
                            + ", not " + key.length);
                }
                psk = TlsPsk.of(key, Optional.of(hash));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } else {
            psk = TlsPsk.generate(hash, RANDOM);
        }
        try (psk) {
            String prefix = args.has("subsysnqn")
                    ? nqn(args, "hostnqn", hostNqn) + " " + nqn(args, "subsysnqn", hostNqn) + " " : "";
            out.println(prefix + psk.format());
        }
    }

    /**
     * nvme-cli 2.3's line for a valid key, {@code Key is valid (HMAC 1, length 32, CRC 55c3dec7)}; with
     * {@code --subsysnqn} the PSK identity instead, as later nvme-cli prints it. A bad key fails naming the fault.
     */
    private static void checkTlsKey(Args args, PrintStream out, Supplier<String> hostNqn) {
        if (args.has("key") == args.has("keydata")) {
            throw ShellException.usage("give the key once: --key (-k) or --keydata (-d)");
        }
        int version = (int) args.number("identity", 0);
        if (version != 0 && version != 1) {
            throw ShellException.usage("--identity: 0 or 1, not " + version);
        }
        if (args.has("hostnqn") && !args.has("subsysnqn")) {
            throw ShellException.usage("--hostnqn needs --subsysnqn (-c): an identity names both");
        }
        String text = args.has("key") ? args.value("key") : args.value("keydata");
        try (TlsPsk psk = TlsPsk.parse(text)) {
            if (!args.has("subsysnqn")) {
                out.printf("Key is valid (HMAC %d, length %d, CRC %08x)%n",
                        psk.retainedHash().map(TlsPskHash::code).orElse(0), psk.keyLength(), psk.crc32());
                return;
            }
            String host = nqn(args, "hostnqn", hostNqn);
            String subsystem = nqn(args, "subsysnqn", hostNqn);
            PskIdentity identity = version == 0 ? PskIdentity.version0(psk.hash(), host, subsystem)
                    : versionOne(psk, host, subsystem);
            out.println(identity.text());
        } catch (TlsPskFormatException e) {
            throw new ShellException(ShellException.EINVAL, e.getMessage());
        }
    }

    /** The identity of version 1, whose digest (no secret: it travels in the ClientHello) binds it to the key. */
    private static PskIdentity versionOne(TlsPsk psk, String host, String subsystem) {
        byte[] retained = TlsPskDerivation.retainedPsk(psk, host, HkdfLabelEncoding.RFC_8446);
        try {
            return PskIdentity.version1(psk.hash(), host, subsystem,
                    TlsPskDerivation.pskDigest(psk.hash(), retained, host, subsystem));
        } finally {
            Arrays.fill(retained, (byte) 0);
        }
    }

    /** An NQN option: the value given, this host's NQN for an absent --hostnqn; no blanks (keyring fields). */
    private static String nqn(Args args, String option, Supplier<String> hostNqn) {
        String nqn = option.equals("hostnqn") && !args.has(option) ? hostNqn.get() : args.required(option);
        if (nqn.isBlank() || nqn.chars().anyMatch(Character::isWhitespace)) {
            throw ShellException.usage("--" + option + ": an NQN has no blanks");
        }
        return nqn;
    }
}
