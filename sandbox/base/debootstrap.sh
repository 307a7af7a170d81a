#!/usr/bin/env bash
# Base image without a registry: a minimal Debian from debootstrap, the packages of packages.txt, and the
# .NET runtime copied from the SDK on this machine (the same runtime the grader compiles against).
# Usage: debootstrap.sh <image-tag> <runtime-version>
set -euo pipefail
tag=$1
runtime_version=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mirror=${CODELAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 3; }
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
for fx in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  [ -d "$dotnet_root/shared/$fx/$runtime_version" ] || { echo "missing $dotnet_root/shared/$fx/$runtime_version: install the .NET $runtime_version runtime" >&2; exit 3; }
done

work=$(mktemp -d /var/tmp/codelab-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
packages=$(grep -v '^#' "$here/packages.txt" | grep -v '^\s*$' | paste -sd, -)

echo "sandbox base: debootstrap $suite ($packages) ..." >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; echo "debootstrap failed (log above)" >&2; exit 1; }

echo "sandbox base: adding .NET runtime $runtime_version ..." >&2
mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/share/dotnet/host/fxr"
cp "$dotnet_root/dotnet" "$rootfs/usr/share/dotnet/dotnet"
cp -r "$dotnet_root/host/fxr/"* "$rootfs/usr/share/dotnet/host/fxr/"
for fx in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  mkdir -p "$rootfs/usr/share/dotnet/shared/$fx"
  cp -r "$dotnet_root/shared/$fx/$runtime_version" "$rootfs/usr/share/dotnet/shared/$fx/"
done
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

# Smaller and reproducible: no apt caches, docs or logs in the image.
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/var/log/* "$rootfs"/var/cache/*

echo "sandbox base: importing as $tag ..." >&2
tar -C "$rootfs" -c . | docker import \
  --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$tag" >/dev/null
