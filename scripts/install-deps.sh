#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages segeval builds against, when any is missing.
set -euo pipefail
packages=(libpng-dev libjpeg-dev libturbojpeg0-dev libcairo2-dev libdnnl-dev pkg-config fonts-dejavu-core poppler-utils)
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
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
