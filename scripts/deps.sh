#!/bin/sh
# deps.sh — makes sure the Debian packages lockstep builds and tests with
# are installed.  As root it installs what is missing with apt-get; as
# another user it prints the one apt-get line needed and fails.
# Usage: scripts/deps.sh [extra-package ...]
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev zlib1g-dev libzstd-dev
libjansson-dev libxxhash-dev libigraph-dev libsqlite3-dev libutf8proc-dev
libicu-dev libsodium-dev libarchive-dev zstd chromium jq python3 $*"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || true
    apt-get install -y -qq --no-install-recommends $missing >&2
else
    echo "deps: missing Debian packages. Run:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
