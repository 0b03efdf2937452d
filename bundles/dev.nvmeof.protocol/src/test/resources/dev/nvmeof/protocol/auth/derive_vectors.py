#!/usr/bin/env python3
"""Derives the expected values of DhchapResponseTest independently of the Java code, with Python's hashlib/hmac and
pow(), following the algorithm of Linux drivers/nvme/common/auth.c (nvme_auth_transform_key,
nvme_auth_augmented_challenge) and drivers/nvme/host/auth.c (nvme_auth_dhchap_setup_host_response,
nvme_auth_dhchap_setup_ctrl_response). Run: python3 derive_vectors.py /path/to/ffdhe2048.hex
(the prime as hex, e.g. from `openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048`)."""
import hashlib
import hmac
import sys

HOST_NQN = b"nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001"
SUBSYS_NQN = b"nqn.2024-01.dev.nvmeof:test"
T = 0x1234
S1 = 0x01020304
S2 = 0x0A0B0C0D


def transform(hash_name, key, nqn):
    if hash_name is None:
        return key
    return hmac.new(key, nqn + b"NVMe-over-Fabrics", hash_name).digest()


def response(hash_name, key, challenge, seq, label, first_nqn, second_nqn):
    data = (challenge + seq.to_bytes(4, "little") + T.to_bytes(2, "little") + b"\x00" + label + first_nqn
            + b"\x00" + second_nqn)
    return hmac.new(key, data, hash_name).digest()


def augment(hash_name, shared_secret, challenge):
    return hmac.new(hashlib.new(hash_name, shared_secret).digest(), challenge, hash_name).digest()


host_key = bytes(range(32))                  # DHHC-1:01 (transformed with SHA-256)
ctrl_key = bytes(range(32, 64))              # DHHC-1:00 (used as is)
kh = transform("sha256", host_key, HOST_NQN)
kc = transform(None, ctrl_key, SUBSYS_NQN)
print("Kh", kh.hex())

# Case 1: SHA-256, null group.
c1 = bytes(0xA0 + i for i in range(32))
c2 = bytes(0xC0 + i for i in range(32))
print("null/SHA-256 R1", response("sha256", kh, c1, S1, b"HostHost", HOST_NQN, SUBSYS_NQN).hex())
print("null/SHA-256 R2", response("sha256", kc, c2, S2, b"Controller", SUBSYS_NQN, HOST_NQN).hex())

# Case 2: SHA-384, ffdhe2048 with fixed private exponents.
p = int(open(sys.argv[1]).read().strip(), 16)
x_host = int("1234567890ABCDEF" * 4, 16)
x_ctrl = int("FEDCBA0987654321" * 4, 16)
y_host = pow(2, x_host, p).to_bytes(256, "big")
y_ctrl = pow(2, x_ctrl, p).to_bytes(256, "big")
shared = pow(int.from_bytes(y_ctrl, "big"), x_host, p).to_bytes(256, "big")
assert shared == pow(int.from_bytes(y_host, "big"), x_ctrl, p).to_bytes(256, "big")
c1 = bytes(0x10 + i for i in range(48))
c2 = bytes(0x60 + i for i in range(48))
ca = augment("sha384", shared, c1)
cb = augment("sha384", shared, c2)
print("ffdhe2048 shared sha256", hashlib.sha256(shared).hexdigest())
print("ffdhe2048/SHA-384 Ca", ca.hex())
print("ffdhe2048/SHA-384 R1", response("sha384", kh, ca, S1, b"HostHost", HOST_NQN, SUBSYS_NQN).hex())
print("ffdhe2048/SHA-384 R2", response("sha384", kc, cb, S2, b"Controller", SUBSYS_NQN, HOST_NQN).hex())

# Case 3: a 32-byte secret transformed with SHA-512 (a 64-byte key), SHA-256 response. Linux 6.12 keys the HMAC
# with the whole transformed key; kernels before "nvme-auth: use transformed key size to create resp" cut it to the
# secret's 32 bytes.
kh512 = transform("sha512", host_key, HOST_NQN)
c1 = bytes(0xA0 + i for i in range(32))
print("SHA-512-transformed 32-byte Kh", kh512.hex())
print("whole-key SHA-256 R1", response("sha256", kh512, c1, S1, b"HostHost", HOST_NQN, SUBSYS_NQN).hex())
print("cut-key SHA-256 R1 (old kernels)", response("sha256", kh512[:32], c1, S1, b"HostHost", HOST_NQN,
                                                       SUBSYS_NQN).hex())
