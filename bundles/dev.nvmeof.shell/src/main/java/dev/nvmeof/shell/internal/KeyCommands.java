package dev.nvmeof.shell.internal;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.auth.DhchapSecret;
import dev.nvmeof.protocol.auth.DhchapSecretFormatException;

/**
 * nvme-cli's key commands: {@code gen-dhchap-key} and {@code check-dhchap-key} (DH-HMAC-CHAP secrets). A key is
 * printed only by the command that makes it, for the user who asked; a refusal names what is wrong, never the text.
 */
final class KeyCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyCommands() {
    }

    static void addTo(CommandWord nvme) {
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
}
