#!/usr/bin/env bash
# Builds the interop test guest from installed Debian packages only (linux-image-amd64, busybox-static, kmod, cpio,
# gzip, nvme-cli): OUTDIR/vmlinuz (the newest installed kernel that has its modules) and OUTDIR/initramfs.cpio.gz
# (busybox, the kernel modules below with their dependencies, nvme-cli with its libraries, and init next to this
# script as /init). Takes about a second; does nothing when both outputs are newer than this script, the init and
# the kernel.
#
#   build-guest.sh OUTDIR
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
INIT="$HERE/init"
MODULES=(configfs crc32c_generic virtio_pci virtio_net virtio_blk brd nvmet nvmet-tcp nvme-tcp nvme-fabrics)
MODPROBE=$(command -v modprobe || echo /usr/sbin/modprobe)
BUSYBOX=/bin/busybox
NVME=/usr/sbin/nvme

fail() { echo "build-guest: $*" >&2; exit 1; }

# The newest installed kernel whose modules are installed too.
KVER=""
for image in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V -r); do
  candidate=${image#/boot/vmlinuz-}
  if [ -d "/lib/modules/$candidate" ]; then KVER=$candidate; break; fi
done
[ -n "$KVER" ] || fail "no /boot/vmlinuz-* with /lib/modules/KVER: apt-get install linux-image-amd64"
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
   && [ "$OUT/initramfs.cpio.gz" -nt "$KERNEL" ] && [ "$(cat "$OUT/kernel-version" 2>/dev/null)" = "$KVER" ]; then
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
# (busybox insmod cannot read .ko.xz or .ko.zst).
: > etc/modules.load
for module in "${MODULES[@]}"; do
  "$MODPROBE" -S "$KVER" --show-depends "$module" > "$OUT/depends.tmp" || fail "modprobe cannot resolve $module"
  while read -r verb path _; do
    [ "$verb" = insmod ] || continue   # "builtin NAME": nothing to load
    target=${path%.xz}; target=${target%.zst}; target=${target%.gz}
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
done
rm -f "$OUT/depends.tmp"

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
echo "$KVER" > "$OUT/kernel-version"
echo "build-guest: built $OUT (kernel $KVER, initramfs $(du -k "$OUT/initramfs.cpio.gz" | cut -f1) KiB," \
  "$(wc -l < etc/modules.load) modules)"
