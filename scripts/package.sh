#!/usr/bin/env bash
# Builds the three archives an office unpacks and runs (SPEC §14):
#   dist/zwgk-<version>-windows-x64.zip      (x86_64-pc-windows-gnu, MinGW-w64)
#   dist/zwgk-<version>-linux-x64.tar.gz     (x86_64-unknown-linux-gnu)
#   dist/zwgk-<version>-linux-arm64.tar.gz   (aarch64-unknown-linux-gnu)
# each holding the binary, the demo (indicators/, data/demo/), the user
# guide, the README and the licences.
#
# Needs: rustup targets x86_64-pc-windows-gnu and aarch64-unknown-linux-gnu,
# Debian's gcc-mingw-w64-x86-64, gcc-aarch64-linux-gnu, zip. With --install
# (root, as .ci/run runs it) they are installed where missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="${DIST_DIR:-$target_dir/dist}"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

if [ "${1:-}" = "--install" ]; then
  need=()
  command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
  command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
  command -v zip >/dev/null || need+=(zip)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu >/dev/null
fi

# The C parts of the tree (mimalloc, zstd, …) are built with the cross C
# compilers; the linkers are set in .cargo/config.toml.
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar

mkdir -p "$out"
stage() { # stage NAME BINARY: the archive's folder
  local dir="$out/$1"
  rm -rf "$dir"
  mkdir -p "$dir/indicators" "$dir/data"
  cp "$2" "$dir/"
  cp indicators/demo.toml "$dir/indicators/"
  cp -r data/demo "$dir/data/"
  cp docs/用户手册.md README.md LICENSE "$dir/"
  mkdir -p "$dir/licences"
  cp assets/fonts/LICENSE-wqy-microhei.txt "$dir/licences/"
  echo "$dir"
}

echo "building the native binary" >&2
cargo build --release --locked
for target in aarch64-unknown-linux-gnu x86_64-pc-windows-gnu; do
  echo "building $target" >&2
  cargo build --release --locked --target "$target"
done

rel="$target_dir/release/zwgk"
dir=$(stage "zwgk-$version-linux-x64" "$rel")
tar -C "$out" -czf "$out/zwgk-$version-linux-x64.tar.gz" "$(basename "$dir")"

rel="$target_dir/aarch64-unknown-linux-gnu/release/zwgk"
dir=$(stage "zwgk-$version-linux-arm64" "$rel")
tar -C "$out" -czf "$out/zwgk-$version-linux-arm64.tar.gz" "$(basename "$dir")"

rel="$target_dir/x86_64-pc-windows-gnu/release/zwgk.exe"
dir=$(stage "zwgk-$version-windows-x64" "$rel")
(cd "$out" && rm -f "zwgk-$version-windows-x64.zip" && zip -qr "zwgk-$version-windows-x64.zip" "$(basename "$dir")")

ls -la "$out"/*.zip "$out"/*.tar.gz
