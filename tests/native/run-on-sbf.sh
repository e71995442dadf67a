#!/usr/bin/env bash
# The program suite on the sBPF artifact in $1: the `program` test binary that `cargo test --workspace`
# built, run again with SBF_OUT_DIR set (its ignored compute-unit tests included). Building it with
# `cargo test --test program` instead would resolve features for that one target and recompile ~400 crates.
set -euo pipefail
cd "$(dirname "$0")"
binary=$(${CARGO:-cargo} test --locked --workspace --no-run --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "program" and message.get("executable"):
        print(message["executable"])
')
if [ -z "$binary" ]; then
    echo "run-on-sbf: cargo built no program test binary" >&2
    exit 1
fi
SBF_OUT_DIR="$1" "$binary" --include-ignored
