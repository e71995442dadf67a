#!/usr/bin/env bash
# What the provider agent needs to isolate jobs, from Debian's packages: bubblewrap (the default sandbox),
# slirp4netns (outbound network for the jobs a provider allows it), podman with runc (--container-runtime
# podman) and a static busybox (the test image the hostile-job suite builds). Installs only what is missing.
set -euo pipefail

declare -A wanted=([bwrap]=bubblewrap [slirp4netns]=slirp4netns [podman]=podman [runc]=runc [busybox]=busybox-static)
missing=()
for program in "${!wanted[@]}"; do
    command -v "$program" >/dev/null 2>&1 || missing+=("${wanted[$program]}")
done
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-sandbox: missing ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "install-sandbox: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
