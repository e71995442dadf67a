#!/usr/bin/env bash
# RUSTC_WRAPPER for sBPF builds: dependencies that declare a cdylib crate type are built as rlibs
# only (linking them on their own fails: their custom_panic hook lives in the program).
set -euo pipefail
rustc="$1"
shift
args=()
crate_name=""
prev=""
for arg in "$@"; do
    [ "$prev" = "--crate-name" ] && crate_name="$arg"
    prev="$arg"
done
# Cargo's probe of the target (crate `___`) and the program itself pass through untouched.
if [ -z "$crate_name" ] || [ "$crate_name" = "___" ] || [ "$crate_name" = "compute_market" ]; then
    exec "$rustc" "$@"
fi
prev=""
for arg in "$@"; do
    if [ "$arg" = "--crate-type" ]; then
        prev="$arg"
        continue
    fi
    if [ "$prev" = "--crate-type" ]; then
        prev=""
        [ "$arg" = "cdylib" ] && continue
        args+=("--crate-type" "$arg")
        continue
    fi
    prev="$arg"
    args+=("$arg")
done
exec "$rustc" "${args[@]}"
