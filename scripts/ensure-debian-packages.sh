#!/usr/bin/env bash
# Debian packages the tests use beyond Node: redis-server (the distributed-sweep test starts its
# own on loopback; the package's service is not needed). Installs only what is missing, only as
# root with apt; anywhere else it says so and the tests that need it skip visibly.
set -uo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Do not start services in a container or CI machine (policy-rc.d exit 101 = action forbidden).
  policy=/usr/sbin/policy-rc.d; made=
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' >$policy && chmod +x $policy && made=1; fi
  { apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }; } ||
    echo "could not install ${missing[*]}; the tests that need them skip"
  [ -n "$made" ] && rm -f $policy
else
  echo "not installed: ${missing[*]} (install as root: apt-get install ${missing[*]}); the tests that need them skip"
fi
exit 0
