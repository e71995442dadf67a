#!/usr/bin/env bash
# Builds compute_market to an sBPF v3 shared object, target/deploy/compute_market.so.
#
# With the standard Solana toolchain installed (`cargo build-sbf`), that is used. Otherwise the upstream
# path: a pinned rustup nightly with rust-src, `sbpf-linker`, the target spec in this folder, and Rust's
# std with the changes in std-solana.patch (target_os = "solana": no OS, no threads, no writable statics).
# Toolchain, linker, patched std and build outputs are cached under $COMPUTE_MARKET_CACHE
# (default ~/.cache/compute-market); a cache only saves time.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
deploy="$root/target/deploy"
mkdir -p "$deploy"

if command -v cargo-build-sbf >/dev/null 2>&1; then
    echo "sbf: building with the Solana toolchain (cargo build-sbf)"
    cargo build-sbf --manifest-path "$root/programs/compute_market/Cargo.toml" --sbf-out-dir "$deploy" --arch v3
    exit 0
fi

nightly="nightly-2026-10-30"
linker_version="0.2.6"
cache="${COMPUTE_MARKET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/compute-market}/sbf"
mkdir -p "$cache"

# Exit status 2: the toolchain could not be fetched (make test then skips the sBPF tier, loudly).
# Any other failure is a real build failure.
unavailable() {
    echo "sbf: $1" >&2
    echo "sbf: the sBPF toolchain is unavailable on this machine; nothing was built." >&2
    exit 2
}

command -v rustup >/dev/null 2>&1 || unavailable "rustup is not installed, and the upstream sBPF path needs it to fetch $nightly"
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1 \
    || [ ! -d "$(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    echo "sbf: installing Rust $nightly with rust-src (rustup)"
    rustup toolchain install "$nightly" --profile minimal --component rust-src --no-self-update \
        || unavailable "could not download Rust $nightly with rust-src through rustup (no network to static.rust-lang.org?)"
fi
sysroot="$(rustup run "$nightly" rustc --print sysroot)"

linker="$cache/bin/sbpf-linker"
# Read the version whole: `grep -q` in a pipe may close it early, which pipefail reports as a failure.
linker_found="$("$linker" --version 2>/dev/null || true)"
if [[ "$linker_found" != *"sbpf-linker $linker_version"* ]]; then
    echo "sbf: installing sbpf-linker $linker_version (about 4 minutes)"
    rustup run "$nightly" cargo install "sbpf-linker@$linker_version" --locked --root "$cache" \
        || unavailable "could not fetch or build sbpf-linker $linker_version from crates.io"
fi

# Rust's std for target_os = "solana": a copy of the toolchain's sources with the patch applied,
# keyed by the patch so a change to it rebuilds std and everything above it.
patch_id="$(cat "$root/sbf/std-solana.patch" "$root/sbf/sbpf-solana.json" | sha256sum | cut -c1-16)"
std_src="$cache/std-$nightly-$patch_id"
if [ ! -f "$std_src/.patched" ]; then
    echo "sbf: preparing Rust std for target_os = \"solana\""
    rm -rf "$std_src"
    mkdir -p "$std_src"
    cp -r "$sysroot/lib/rustlib/src/rust/library" "$std_src/library"
    if ! (cd "$std_src" && git apply -p1 "$root/sbf/std-solana.patch"); then
        echo "sbf: std-solana.patch does not apply to $nightly's std" >&2
        exit 1
    fi
    touch "$std_src/.patched"
fi

# How the program is compiled (each flag measured in docs/PROGRAM_SIZE.md):
# - lower-atomic: sBPF has no atomics and runs one thread;
# - +allows-misaligned-mem-access: sBPF loads and stores at any alignment (the VM checks only bounds), so
#   LLVM need not copy and compare under-aligned values byte by byte;
# - the program's own crate at opt-level s, every dependency at z (for this build only), run through the
#   linker's O2 pipeline: LLVM 23 has no Os/Oz pipeline, and functions keep their optsize/minsize
#   attributes. The program's crate holds the job path (Anchor's generic account code is instantiated
#   there); the dependencies' code is cold or small, and z shrinks it at no measurable compute cost;
# - the linker's function merging: generic code instantiated for several types often compiles to the
#   same instructions (Anchor's account checks per account type, say); one copy serves them all.
#   rustc leaves it off for BPF targets (the target spec's merge-functions), so the linker runs it;
# - immediate-abort: a panic aborts without formatting a message (Anchor errors still log their names);
# - std's optimize_for_size and the program's no-log-ix-name (no "Instruction: X" log line).
rustflags="-C passes=lower-atomic -C target-feature=+allows-misaligned-mem-access -C link-arg=-O2 -C link-arg=--llvm-args=-enable-merge-functions -Zunstable-options -Cpanic=immediate-abort"

echo "sbf: building compute_market for sBPF v3 with $nightly and sbpf-linker $linker_version"
target_dir="$cache/target-$patch_id"
(
    cd "$root"
    PATH="$cache/bin:$PATH" \
    LD_LIBRARY_PATH="$sysroot/lib" \
    RUSTC_WRAPPER="$root/sbf/rustc-wrapper.sh" \
    __CARGO_TESTS_ONLY_SRC_ROOT="$std_src/library" \
    RUSTC_BOOTSTRAP_SYNTHETIC_TARGET=1 \
    RUSTFLAGS="$rustflags" \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    CARGO_TARGET_DIR="$target_dir" \
    rustup run "$nightly" cargo build --locked -p compute_market --release --features no-log-ix-name \
        --config 'profile.release.package.compute_market.opt-level="s"' \
        --target "$root/sbf/sbpf-solana.json" \
        -Zbuild-std=std,panic_abort -Zbuild-std-features=compiler-builtins-mem,optimize_for_size -Zjson-target-spec
)
cp "$target_dir/sbpf-solana/release/libcompute_market.so" "$deploy/compute_market.so"
echo "sbf: wrote target/deploy/compute_market.so ($(stat -c %s "$deploy/compute_market.so") bytes)"
