#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages segeval builds against, when any is missing.
#   --with-slurm   also slurm-wlm, so that the tests run the SLURM job array on a local
#                  single-node cluster (CI does; without it that test is skipped)
set -euo pipefail
packages=(libpng-dev libjpeg-dev libturbojpeg0-dev libcairo2-dev libdnnl-dev libnifti2-dev pkg-config fonts-dejavu-core poppler-utils)
if [ "${1:-}" = "--with-slurm" ]; then packages+=(slurm-wlm); fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
