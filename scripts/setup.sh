#!/usr/bin/env bash
# Installs the Debian 12 packages Glint needs, if any are missing. Safe to run again.
# Why each package is here: README.md, "Dependencies".
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  # runtime and CLI
  libcli11-dev nlohmann-json3-dev libiberty-dev libzstd-dev libxxhash-dev
  # the DWARF reader of source-level debugging (a plugin on LLVM's DebugInfo)
  llvm-14-dev
  # host API, demo game, editor
  libsdl2-dev libimgui-dev libglm-dev libstb-dev
  # tests (xvfb: a virtual X server, so the windowed path of glint-demo is tested too;
  # libclang-rt-14-dev: ASan, UBSan and libFuzzer for the sanitizer build and fuzz targets)
  doctest-dev wabt xvfb libclang-rt-14-dev
  # guest code: C and Rust to wasm32-wasi
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 rustc cargo libstd-rust-dev-wasm32
  # scripts (benchmark driver, asset generator)
  python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)  # reference WASI runtime for the real-program tests
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
