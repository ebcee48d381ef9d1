#!/usr/bin/env bash
# Compiles segeval's C targets (Sources/CKernels, the kernels; Sources/CDNNL, the oneDNN shims) for aarch64 Linux, to check that they build
# off x86 (the portable level: generic vectors, no x86 `target` attributes). Installs Debian's
# aarch64 C headers (libc6-dev-arm64-cross) when missing. Objects only: nothing is linked or run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg-query -W -f='${Status}' libc6-dev-arm64-cross 2>/dev/null | grep -q "install ok installed"; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libc6-dev-arm64-cross >/dev/null
fi
CC=${CC:-clang}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# oneDNN's headers are the same on every architecture; only they are taken from /usr/include.
mkdir -p "$work/include"
ln -s /usr/include/oneapi "$work/include/oneapi"
for target in CKernels CDNNL; do
    for source in Sources/$target/*.c; do
        "$CC" --target=aarch64-linux-gnu -O2 -Wall -Werror -nostdinc -isystem "$("$CC" -print-resource-dir)/include" \
            -isystem /usr/aarch64-linux-gnu/include -isystem "$work/include" -I Sources/$target/include \
            -c "$source" -o "$work/$target-$(basename "$source" .c).o"
    done
done
if "$CC" --version >/dev/null && command -v file >/dev/null; then file "$work"/*.o | sed "s|$work/||"; fi
echo "portable build: Sources/CKernels and Sources/CDNNL compile for aarch64-linux-gnu"
