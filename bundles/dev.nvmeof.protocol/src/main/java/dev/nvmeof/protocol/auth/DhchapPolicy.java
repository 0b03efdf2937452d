package dev.nvmeof.protocol.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a controller requires of one host: the host's secret, the controller's own secret if the host may ask for
 * bidirectional authentication, and the hashes and DH groups it accepts, strongest first. The controller picks the
 * first of each list the host offers; a host offering none of them is refused with "Hash function not usable" or
 * "DH group not usable", so a policy without {@link DhGroup#NULL} cannot be downgraded to plain HMAC-CHAP.
 *
 * @param controllerSecret empty when the controller cannot authenticate itself to the host
 */
public record DhchapPolicy(DhchapSecret hostSecret, Optional<DhchapSecret> controllerSecret, List<DhchapHash> hashes,
        List<DhGroup> groups) {

    /** Every hash and every group with a DH exchange, strongest first: what a policy offers unless told otherwise. */
    public static final List<DhchapHash> STRONGEST_HASHES_FIRST =
            List.of(DhchapHash.SHA_512, DhchapHash.SHA_384, DhchapHash.SHA_256);
    public static final List<DhGroup> STRONGEST_GROUPS_FIRST = List.of(DhGroup.FFDHE8192, DhGroup.FFDHE6144,
            DhGroup.FFDHE4096, DhGroup.FFDHE3072, DhGroup.FFDHE2048);

    public DhchapPolicy {
        Objects.requireNonNull(hostSecret, "hostSecret");
        Objects.requireNonNull(controllerSecret, "controllerSecret");
        hashes = List.copyOf(hashes);
        groups = List.copyOf(groups);
        if (hashes.isEmpty() || groups.isEmpty()) {
            throw new IllegalArgumentException("a DH-HMAC-CHAP policy allows at least one hash and one DH group");
        }
    }
}
