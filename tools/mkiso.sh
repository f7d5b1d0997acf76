#!/usr/bin/env bash
# tools/mkiso.sh: a GRUB rescue image that boots Aramid by Multiboot2 on BIOS and UEFI machines
# (grub-mkrescue puts both the El Torito BIOS image and an EFI system partition in it).
# Packages: grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools (tools/packages.txt).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: tools/mkiso.sh [-o OUT.iso] [--kernel ELF] [--initrd FILE] [--cmdline "ARGS"]
  -o OUT.iso       where to write the image (default: build/aramid.iso)
  --kernel ELF     the kernel (default: build/aramid.elf)
  --initrd FILE    loaded as the first Multiboot2 module (the initramfs)
  --cmdline ARGS   the kernel command line
GRUB talks on the first serial port (115200 8N1) and boots at once (timeout 0).
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$ROOT/build/aramid.iso"
kernel="$ROOT/build/aramid.elf"
initrd=""
cmdline=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2;;
    --kernel) kernel="$2"; shift 2;;
    --initrd) initrd="$2"; shift 2;;
    --cmdline) cmdline="$2"; shift 2;;
    -h|--help) usage; exit 0;;
    *) echo "mkiso: unknown argument '$1'" >&2; usage >&2; exit 2;;
  esac
done

for tool in grub-mkrescue xorriso mformat; do
  command -v "$tool" >/dev/null || { echo "mkiso: $tool not found: run tools/aramid setup" >&2; exit 1; }
done
[ -f "$kernel" ] || { echo "mkiso: no kernel at $kernel (build first)" >&2; exit 1; }
for dir in /usr/lib/grub/i386-pc /usr/lib/grub/x86_64-efi; do
  [ -d "$dir" ] || { echo "mkiso: $dir missing (grub-pc-bin / grub-efi-amd64-bin)" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/iso/boot/grub"
cp "$kernel" "$tmp/iso/boot/aramid.elf"
module_line=""
if [ -n "$initrd" ]; then
  cp "$initrd" "$tmp/iso/boot/initrd"
  module_line="  module2 /boot/initrd initrd"
fi
cat > "$tmp/iso/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Aramid" {
  multiboot2 /boot/aramid.elf $cmdline
$module_line
  boot
}
CFG
mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -o "$out" "$tmp/iso" >"$tmp/log" 2>&1; then
  cat "$tmp/log" >&2
  echo "mkiso: grub-mkrescue failed" >&2
  exit 1
fi
echo "mkiso: wrote $out"
