#!/bin/sh
# Cross-checks the RFC 8446 rows of derive_tls_vectors.py with OpenSSL 3's own HKDF and TLS13-KDF (its HkdfLabel
# encoding is OpenSSL's, not ours): HKDF-Extract with an all-zero salt, then HKDF-Expand-Label with prefix "tls13 ".
# Run: sh openssl_tls13_kdf.sh (OpenSSL 3.0.19 gave the values in TlsPskDerivationTest).
set -e
label() { # $1 digest, $2 length, $3 input key (hex), $4 label, $5 context
    prk=$(openssl kdf -keylen "$2" -kdfopt digest:"$1" -kdfopt mode:EXTRACT_ONLY -kdfopt hexkey:"$3" HKDF | tr -d :)
    openssl kdf -keylen "$2" -kdfopt digest:"$1" -kdfopt mode:EXPAND_ONLY -kdfopt hexkey:"$prk" \
        -kdfopt prefix:"tls13 " -kdfopt label:"$4" -kdfopt data:"$5" TLS13-KDF | tr -d : | tr A-F a-f
}
K32=5512dbb6737d0106f65975b773dfb011ffc344bcf442e2dd6d8bc4870b5d5b03
K48=${K32}ffc344bcf442e2dd6d8bc4870b5d5b03
H=nqn.psk-test-host
S=nqn.psk-test-subsys
R32=$(label SHA256 32 $K32 HostNQN $H)
echo "retained 01: $R32"
echo "tls psk 01 v0: $(label SHA256 32 $R32 nvme-tls-psk "NVMe0R01 $H $S")"
echo "tls psk 01 v1: $(label SHA256 32 $R32 nvme-tls-psk "01 iSbjiStwJ/1TrTvDlt2fjFmzvsytOJelidNnA+X5lEU=")"
R48=$(label SHA384 48 $K48 HostNQN $H)
echo "retained 02: $R48"
echo "tls psk 02 v0: $(label SHA384 48 $R48 nvme-tls-psk "NVMe0R02 $H $S")"
echo "tls psk 02 v1: $(label SHA384 48 $R48 nvme-tls-psk \
    "02 QhW2+Rp6RzHlNtCslyRxMnwJ11tKKhz8JCAQpQ+XUD8f9td1VeH5h53yz2wKJG1a")"
echo "tls psk 00 v0: $(label SHA256 32 $K32 nvme-tls-psk "NVMe0R01 $H $S")"
