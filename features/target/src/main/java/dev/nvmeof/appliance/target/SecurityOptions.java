package dev.nvmeof.appliance.target;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.nvmeof.appliance.target.ApplianceConfig.UsageException;
import dev.nvmeof.protocol.auth.DhGroup;
import dev.nvmeof.protocol.auth.DhchapHash;
import dev.nvmeof.protocol.tls.TlsPskKeyring;
import dev.nvmeof.target.SubsystemAuthentication;

/**
 * The appliance's secrets: the TLS PSK keyring its TLS listeners use ({@code --tls-keyring}) and the subsystem's
 * DH-HMAC-CHAP keyring ({@code --dhchap-keyring}, {@code --dhchap-required}, {@code --dhchap-hashes},
 * {@code --dhchap-groups}, as the OSGi subsystem component's {@code dhchapKeyring}, {@code dhchapRequired},
 * {@code dhchapHashes} and {@code dhchapGroups}). Only the paths are parsed here; the files are read when the target
 * starts, so a file that cannot be read or is open to others fails the start (exit 1), not the arguments (exit 2).
 *
 * @param tlsKeyring     the TLS keyring file, or null
 * @param dhchapKeyring  the DH-HMAC-CHAP keyring file, or null
 * @param dhchapRequired whether hosts without a DH-HMAC-CHAP secret are refused
 * @param dhchapHashes   the hashes the subsystem accepts in order of preference; empty for its default
 * @param dhchapGroups   the DH groups it accepts in order of preference; empty for its default
 */
record SecurityOptions(Path tlsKeyring, Path dhchapKeyring, boolean dhchapRequired, List<DhchapHash> dhchapHashes,
        List<DhGroup> dhchapGroups) {
    static final SecurityOptions NONE = new SecurityOptions(null, null, false);
    static final String TLS_KEYRING = "tls-keyring";
    static final String DHCHAP_KEYRING = "dhchap-keyring";
    static final String DHCHAP_REQUIRED = "dhchap-required";
    static final String DHCHAP_HASHES = "dhchap-hashes";
    static final String DHCHAP_GROUPS = "dhchap-groups";

    SecurityOptions {
        dhchapHashes = List.copyOf(dhchapHashes);
        dhchapGroups = List.copyOf(dhchapGroups);
    }

    /** With the subsystem's default hashes and groups. */
    SecurityOptions(Path tlsKeyring, Path dhchapKeyring, boolean dhchapRequired) {
        this(tlsKeyring, dhchapKeyring, dhchapRequired, List.of(), List.of());
    }

    /**
     * From the merged option values ({@code origin} names where each came from). Options that would do nothing are
     * refused, as the OSGi component refuses dhchapRequired without a dhchapKeyring: a TLS listener without a keyring
     * could admit no host, and a TLS keyring no listener uses most likely means a listener option was forgotten.
     */
    static SecurityOptions from(Map<String, List<String>> values, Map<String, String> origin) throws UsageException {
        Path tlsKeyring = path(values, origin, TLS_KEYRING);
        String tlsListener = values.containsKey("tls-listen") ? origin.get("tls-listen")
                : values.containsKey("tls-allowed-listen") ? origin.get("tls-allowed-listen") : null;
        if (tlsListener != null && tlsKeyring == null) {
            throw new UsageException(tlsListener + " needs a TLS keyring: --tls-keyring FILE");
        }
        if (tlsListener == null && tlsKeyring != null) {
            throw new UsageException(origin.get(TLS_KEYRING)
                    + ": no TLS listener uses it (--tls-listen or --tls-allowed-listen)");
        }
        Path dhchapKeyring = path(values, origin, DHCHAP_KEYRING);
        boolean dhchapRequired = values.containsKey(DHCHAP_REQUIRED)
                && bool(origin.get(DHCHAP_REQUIRED), ApplianceConfig.last(values.get(DHCHAP_REQUIRED)));
        if (dhchapRequired && dhchapKeyring == null) {
            throw new UsageException(origin.get(DHCHAP_REQUIRED) + " needs --dhchap-keyring FILE");
        }
        List<DhchapHash> hashes = algorithms(values, origin, DHCHAP_HASHES, DhchapHash::listOf, dhchapKeyring);
        List<DhGroup> groups = algorithms(values, origin, DHCHAP_GROUPS, DhGroup::listOf, dhchapKeyring);
        return new SecurityOptions(tlsKeyring, dhchapKeyring, dhchapRequired, hashes, groups);
    }

    private static <T> List<T> algorithms(Map<String, List<String>> values, Map<String, String> origin, String key,
            Function<String, List<T>> parser, Path dhchapKeyring) throws UsageException {
        if (!values.containsKey(key)) {
            return List.of();
        }
        if (dhchapKeyring == null) {
            throw new UsageException(origin.get(key) + " needs --dhchap-keyring FILE");
        }
        try {
            return parser.apply(ApplianceConfig.last(values.get(key)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(origin.get(key) + ": " + e.getMessage());
        }
    }

    /** The TLS keyring, or null without one; the caller closes it (zeroing the keys) once the target is closed. */
    TlsPskKeyring readTlsKeyring() throws KeyringException {
        if (tlsKeyring == null) {
            return null;
        }
        try {
            return TlsPskKeyring.read(tlsKeyring);
        } catch (IOException e) {
            throw new KeyringException("TLS keyring", tlsKeyring, e);
        }
    }

    /** The subsystem's DH-HMAC-CHAP settings, {@link SubsystemAuthentication#NONE} without a keyring. */
    SubsystemAuthentication readAuthentication() throws KeyringException {
        if (dhchapKeyring == null) {
            return SubsystemAuthentication.NONE;
        }
        try {
            SubsystemAuthentication auth = SubsystemAuthentication.fromKeyring(dhchapKeyring, dhchapRequired);
            return auth.withAlgorithms(dhchapHashes.isEmpty() ? auth.hashes() : dhchapHashes,
                    dhchapGroups.isEmpty() ? auth.groups() : dhchapGroups);
        } catch (IOException e) {
            throw new KeyringException("DH-HMAC-CHAP keyring", dhchapKeyring, e);
        }
    }

    /**
     * A keyring that cannot be used; the message names the file and what is wrong, never a key (the keyring readers
     * never put one in their messages, and nothing else is added here).
     */
    static final class KeyringException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyringException(String what, Path file, IOException e) {
            super(message(what, file, e));
        }

        private static String message(String what, Path file, IOException e) {
            // The JDK's file exceptions carry only the path: say what went wrong instead.
            if (e instanceof NoSuchFileException) {
                return what + " " + file + ": no such file";
            }
            if (e instanceof AccessDeniedException) {
                return what + " " + file + ": permission denied";
            }
            String reason = String.valueOf(e.getMessage());
            return reason.contains(file.toString()) ? reason : what + " " + file + ": " + reason;
        }
    }

    private static Path path(Map<String, List<String>> values, Map<String, String> origin, String key)
            throws UsageException {
        if (!values.containsKey(key)) {
            return null;
        }
        String value = ApplianceConfig.last(values.get(key)).trim();
        if (value.isEmpty()) {
            throw new UsageException(origin.get(key) + ": a file name is needed");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(origin.get(key) + ": not a file name: " + e.getMessage());
        }
    }

    static boolean bool(String option, String value) throws UsageException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException(option + ": expected true or false, was '" + value + "'");
        };
    }
}
