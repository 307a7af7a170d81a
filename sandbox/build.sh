#!/usr/bin/env bash
# Builds the sandbox image. Called by the grader (`codelab prepare`) when the image named by the
# content hash of its definition is missing, so it is rebuilt exactly when its definition changes.
#
# Usage: build.sh --tag T --base-tag B --runner DIR --runtime-version V [--base debootstrap|registry|auto]
#   --base auto (default): the official runtime image when a registry answers, else debootstrap.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tag= base_tag= runner= runtime_version= base_mode=${CODELAB_SANDBOX_BASE:-auto}
while [ $# -gt 0 ]; do
  case $1 in
    --tag) tag=$2; shift 2 ;;
    --base-tag) base_tag=$2; shift 2 ;;
    --runner) runner=$2; shift 2 ;;
    --runtime-version) runtime_version=$2; shift 2 ;;
    --base) base_mode=$2; shift 2 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$tag" ] && [ -n "$base_tag" ] && [ -n "$runner" ] && [ -n "$runtime_version" ] \
  || { echo "usage: build.sh --tag T --base-tag B --runner DIR --runtime-version V [--base debootstrap|registry|auto]" >&2; exit 2; }
[ -f "$runner/CodeLab.Runner.dll" ] || { echo "build.sh: $runner has no CodeLab.Runner.dll (build src/CodeLab.Runner first)" >&2; exit 2; }

export DOCKER_BUILDKIT=0   # the classic builder uses local base images without asking a registry

if ! docker image inspect "$base_tag" >/dev/null 2>&1; then
  started=$(date +%s)
  if [ "$base_mode" = auto ]; then
    if timeout 20 docker pull -q "mcr.microsoft.com/dotnet/aspnet:${runtime_version}-bookworm-slim" >/dev/null 2>&1; then
      base_mode=registry
    else
      base_mode=debootstrap
    fi
  fi
  case $base_mode in
    registry)
      echo "sandbox base: from the official runtime image ..." >&2
      docker build -q -t "$base_tag" --build-arg "RUNTIME_VERSION=$runtime_version" -f "$here/base/Dockerfile.registry" "$here/base" >/dev/null ;;
    debootstrap)
      "$here/base/debootstrap.sh" "$base_tag" "$runtime_version" ;;
    *) echo "build.sh: --base must be debootstrap, registry or auto" >&2; exit 2 ;;
  esac
  echo "sandbox base: $base_tag ready in $(( $(date +%s) - started )) s" >&2
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$here/Dockerfile" "$context/"
cp -r "$runner" "$context/runner"
docker build -q -t "$tag" --label codelab=1 --label "codelab.base=$base_tag" --build-arg "BASE=$base_tag" "$context" >/dev/null
echo "sandbox image: $tag ready" >&2
