#!/usr/bin/env python3
"""Derives the expected values of TlsPskDerivationTest independently of the Java code, with Python's hmac/hashlib only:
HKDF by RFC 5869, HKDF-Expand-Label by RFC 8446 section 7.1, and the NVMe/TCP TLS PSK steps as libnvme's
src/nvme/linux.c computes them (derive_retained_key, derive_psk_digest, gen_tls_identity, derive_tls_key, and their
*_compat twins: libnvme before 1.11 / nvme-cli before 2.11 left out the length bytes of HkdfLabel's label and context
and wrote the output length little-endian). Self-check: it first reproduces the PSK identities published in libnvme's
test/psk.c (test_data_identity and test_data_identity_compat), which depend on the retained PSK.
Run: python3 derive_tls_vectors.py"""
import base64
import hashlib
import hmac

HASHES = {1: "sha256", 2: "sha384"}


def extract(hash_name, ikm):
    # RFC 5869 2.2: no salt means HashLen zero bytes.
    return hmac.new(bytes(hashlib.new(hash_name).digest_size), ikm, hash_name).digest()


def expand(hash_name, prk, info, length):
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hash_name).digest()
        out += block
        counter += 1
    return out[:length]


def hkdf_label(label, context, length, compat):
    full_label = b"tls13 " + label
    if compat:
        return length.to_bytes(2, "little") + full_label + context
    return length.to_bytes(2, "big") + bytes([len(full_label)]) + full_label + bytes([len(context)]) + context


def retained_psk(hmac_id, configured, host_nqn, compat):
    if hmac_id == 0:
        return configured
    h = HASHES[hmac_id]
    return expand(h, extract(h, configured), hkdf_label(b"HostNQN", host_nqn, len(configured), compat),
                  len(configured))


def psk_digest(cipher, retained, host_nqn, subsys_nqn):
    data = host_nqn + b" " + subsys_nqn + b" NVMe-over-Fabrics"
    return base64.b64encode(hmac.new(retained, data, HASHES[cipher]).digest())


def derive(hmac_id, configured, host_nqn, subsys_nqn, version, compat):
    retained = retained_psk(hmac_id, configured, host_nqn, compat)
    cipher = hmac_id if hmac_id else {32: 1, 48: 2}[len(configured)]
    if version == 0:
        identity = b"NVMe0R%02d %s %s" % (cipher, host_nqn, subsys_nqn)
        context = identity
    else:
        digest = psk_digest(cipher, retained, host_nqn, subsys_nqn)
        identity = b"NVMe1R%02d %s %s %s" % (cipher, host_nqn, subsys_nqn, digest)
        context = b"%02d %s" % (cipher, digest)
    h = HASHES[cipher]
    tls = expand(h, extract(h, retained), hkdf_label(b"nvme-tls-psk", context, len(configured), compat),
                 len(configured))
    return retained, identity, tls


# The configured PSK of libnvme's test/psk.c; its 48-byte key repeats bytes 16..31 at 32..47.
KEY32 = bytes.fromhex("5512dbb6737d0106f65975b773dfb011ffc344bcf442e2dd6d8bc4870b5d5b03")
KEY48 = KEY32 + KEY32[16:]
LIB_HOST, LIB_SUBSYS = b"nqn.psk-test-host", b"nqn.psk-test-subsys"
PUBLISHED = {
    (1, False): b"iSbjiStwJ/1TrTvDlt2fjFmzvsytOJelidNnA+X5lEU=",
    (2, False): b"QhW2+Rp6RzHlNtCslyRxMnwJ11tKKhz8JCAQpQ+XUD8f9td1VeH5h53yz2wKJG1a",
    (1, True): b"66GuqV08TsAGII39teWUfwQwizjv06Jy8jOcX3NAAzM=",
    (2, True): b"RsKmYJ3nAn1ApjjMloJFbAkLPivONDAX/xW327YBUsn2eGShXSjCZvBaOxscLqmz",
}
for (hmac_id, compat), digest in PUBLISHED.items():
    key = KEY32 if hmac_id == 1 else KEY48
    _, identity, _ = derive(hmac_id, key, LIB_HOST, LIB_SUBSYS, 1, compat)
    assert identity == b"NVMe1R%02d %s %s %s" % (hmac_id, LIB_HOST, LIB_SUBSYS, digest), identity
print("libnvme test/psk.c identities reproduced")

for hmac_id, key in ((1, KEY32), (2, KEY48), (0, KEY32), (0, KEY48)):
    for version in (0, 1):
        for compat in (False, True):
            retained, identity, tls = derive(hmac_id, key, LIB_HOST, LIB_SUBSYS, version, compat)
            print("hmac %02d len %d v%d %-6s retained %s" % (hmac_id, len(key), version,
                                                             "compat" if compat else "rfc", retained.hex()))
            print("    identity %s" % identity.decode())
            print("    tls psk  %s" % tls.hex())
