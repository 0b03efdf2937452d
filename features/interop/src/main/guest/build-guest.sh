#!/usr/bin/env bash
# Builds the interop test guest from installed Debian packages only (linux-image-*, busybox-static, kmod, cpio,
# gzip, nvme-cli): OUTDIR/vmlinuz (the newest installed kernel of the series asked for that has its modules) and
# OUTDIR/initramfs.cpio.gz (busybox, the kernel modules below with their dependencies, nvme-cli with its libraries,
# and init next to this script as /init). Takes about a second; does nothing when both outputs are newer than this
# script, the init and the kernel.
#
#   build-guest.sh OUTDIR [KERNEL_SERIES]     KERNEL_SERIES: 6.1 (the default: Debian 12's kernel) or 6.12, ...
#
# Every module named below is loaded by /init and checked by name (/sys/module) once loaded. A required module the
# kernel lacks fails this build; one that does not load fails the boot (GUEST-FAILED). An optional one may be
# missing or fail to load (the accelerated sha256/sha512 need CPU features TCG does not emulate; the built-in
# generic ones serve). A kernel built with CONFIG_NVME_AUTH (6.12) also gets the DH-HMAC-CHAP modules.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUTDIR [KERNEL_SERIES]" >&2
  exit 2
fi
OUT=$1
SERIES=${2:-6.1}
HERE=$(cd "$(dirname "$0")" && pwd)
INIT="$HERE/init"
REQUIRED=(configfs crc32c_generic virtio_pci virtio_net virtio_blk brd nvmet nvmet-tcp nvme-tcp nvme-fabrics)
OPTIONAL=()
# virtio-rng: the harness gives every guest QEMU's virtio-rng-pci, which seeds the kernel's random pool from the host;
# without it the pool of a TCG guest was still not ready 10 s after boot, and getrandom() failed (gen-dhchap-key).
AUTH_REQUIRED=(nvme-auth hmac sha256_generic sha512_generic dh_generic virtio-rng)
AUTH_OPTIONAL=(nvme-keyring sha256 sha512)
MODPROBE=$(command -v modprobe || echo /usr/sbin/modprobe)
BUSYBOX=/bin/busybox
NVME=/usr/sbin/nvme

fail() { echo "build-guest: $*" >&2; exit 1; }

[[ "$SERIES" =~ ^[0-9]+\.[0-9]+$ ]] || fail "KERNEL_SERIES is MAJOR.MINOR (6.1, 6.12), not '$SERIES'"
# The newest installed kernel of the series (6.1 matches 6.1.0-57-amd64, not 6.12.95+deb12-amd64) whose modules are
# installed too.
KVER=""
for image in $(ls -1 /boot/vmlinuz-"$SERIES".* /boot/vmlinuz-"$SERIES"-* 2>/dev/null | sort -V -r); do
  candidate=${image#/boot/vmlinuz-}
  if [ -d "/lib/modules/$candidate" ]; then KVER=$candidate; break; fi
done
if [ -z "$KVER" ]; then
  case "$SERIES" in
    6.1) fail "no /boot/vmlinuz-6.1.* with /lib/modules/KVER: apt-get install linux-image-amd64" ;;
    6.12) fail "no /boot/vmlinuz-6.12.* with /lib/modules/KVER: apt-get install linux-image-6.12.95+deb12-amd64" \
      "(bookworm-backports; .ci/run adds the suite)" ;;
    *) fail "no /boot/vmlinuz-$SERIES.* with /lib/modules/KVER" ;;
  esac
fi
if grep -qE '^CONFIG_NVME_AUTH=(y|m)$' "/boot/config-$KVER" 2>/dev/null; then
  REQUIRED+=("${AUTH_REQUIRED[@]}")
  OPTIONAL+=("${AUTH_OPTIONAL[@]}")
fi
KERNEL=/boot/vmlinuz-$KVER
[ -r "$KERNEL" ] || fail "$KERNEL is not readable"
[ -x "$BUSYBOX" ] && "$BUSYBOX" --list-full > /dev/null 2>&1 || fail "no $BUSYBOX: apt-get install busybox-static"
[ -x "$MODPROBE" ] || fail "no modprobe: apt-get install kmod"
[ -x "$NVME" ] || fail "no $NVME: apt-get install nvme-cli"
command -v cpio > /dev/null || fail "no cpio: apt-get install cpio"
command -v gzip > /dev/null || fail "no gzip: apt-get install gzip"
ldd "$BUSYBOX" > /dev/null 2>&1 && fail "$BUSYBOX is dynamically linked: apt-get install busybox-static"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ "$OUT/vmlinuz" -nt "$0" ] && [ "$OUT/vmlinuz" -nt "$INIT" ] && [ "$OUT/vmlinuz" -nt "$KERNEL" ] \
   && [ "$OUT/initramfs.cpio.gz" -nt "$0" ] && [ "$OUT/initramfs.cpio.gz" -nt "$INIT" ] \
   && [ "$OUT/initramfs.cpio.gz" -nt "$KERNEL" ] && [ "$(cat "$OUT/kernel-version" 2>/dev/null)" = "$KVER" ] \
   && [ -f "$OUT/modules.want" ]; then
  echo "build-guest: $OUT is up to date (kernel $KVER)"
  exit 0
fi

ROOT=$(mktemp -d "$OUT/root.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
cd "$ROOT"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc/nvme dev proc sys tmp run mnt root "lib/modules/$KVER"

# busybox and its applets.
cp "$BUSYBOX" bin/busybox
"$BUSYBOX" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$(dirname "$applet")"
  [ -e "$applet" ] || ln -s /bin/busybox "$applet"
done

# Kernel modules, dependencies first, each once, in modprobe's order. Compressed modules are stored decompressed
# (busybox insmod cannot read .ko.xz or .ko.zst). etc/modules.want names each module asked for, for /init to check:
#   required|optional NAME LOADED_AS      (LOADED_AS: its name in /sys/module, or "builtin")
: > etc/modules.load
: > etc/modules.want
resolve() { # NEED NAME
  local need=$1 name=$2 last=""
  if ! "$MODPROBE" -S "$KVER" --show-depends "$name" > "$OUT/depends.tmp" 2> "$OUT/depends.err"; then
    if [ "$need" = required ]; then
      fail "kernel $KVER has no module $name, which the guest requires: $(head -1 "$OUT/depends.err")"
    fi
    echo "build-guest: kernel $KVER has no module $name (optional): left out"
    return 0
  fi
  while read -r verb path _; do
    if [ "$verb" = builtin ]; then last=builtin; continue; fi
    [ "$verb" = insmod ] || continue
    target=${path%.xz}; target=${target%.zst}; target=${target%.gz}
    last=${target##*/}; last=${last%.ko}; last=${last//-/_}
    grep -qxF "$target" etc/modules.load && continue
    mkdir -p ".$(dirname "$target")"
    case "$path" in
      *.ko.xz) xz -dc "$path" > ".$target" ;;
      *.ko.zst) zstd -qdc "$path" > ".$target" ;;
      *.ko.gz) gzip -dc "$path" > ".$target" ;;
      *) cp "$path" ".$target" ;;
    esac
    echo "$target" >> etc/modules.load
  done < "$OUT/depends.tmp"
  [ -n "$last" ] || fail "modprobe lists nothing to load for $name in kernel $KVER"
  echo "$need $name $last" >> etc/modules.want
}
for module in "${REQUIRED[@]}"; do resolve required "$module"; done
for module in "${OPTIONAL[@]}"; do resolve optional "$module"; done
rm -f "$OUT/depends.tmp" "$OUT/depends.err"

# nvme-cli and every library it links, at the paths the dynamic loader looks in.
cp "$NVME" usr/sbin/nvme
ldd "$NVME" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  mkdir -p ".$(dirname "$lib")"
  cp -L "$lib" ".$lib"
done
echo "nqn.2014-08.org.nvmexpress:uuid:0f5b3c1e-7a52-4d1f-9c1e-6a7e2b9d4c01" > etc/nvme/hostnqn
echo "0f5b3c1e-7a52-4d1f-9c1e-6a7e2b9d4c01" > etc/nvme/hostid
echo "root:x:0:0:root:/root:/bin/sh" > etc/passwd
echo "root:x:0:" > etc/group

cp "$INIT" init
chmod 755 init
echo "$KVER" > etc/kernel-version

find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 > "$OUT/initramfs.cpio.gz.tmp"
cp "$KERNEL" "$OUT/vmlinuz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
cp etc/modules.want "$OUT/modules.want"
echo "$KVER" > "$OUT/kernel-version"
echo "build-guest: built $OUT (kernel $KVER, initramfs $(du -k "$OUT/initramfs.cpio.gz" | cut -f1) KiB," \
  "$(wc -l < etc/modules.load) modules)"
