#!/usr/bin/env bash
# Soak test of the C ABI: tests/c/soak.c for [cycles] build+validate cycles (default 10^6) against
# the release library, failing if VmRSS at the end exceeds the 10% sample by more than 5% + 2 MiB.
# Build the library first (cargo build --release, or ./build.sh). Environment: CC (default cc).
#
#   scripts/soak-cabi.sh [cycles]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cycles=${1:-1000000}
library_dir=$root/target/release
if [ ! -e "$library_dir/libkrjwt.so" ]; then
  echo "soak-cabi: $library_dir/libkrjwt.so is missing: build the library first (cargo build --release)" >&2
  exit 2
fi
program=$root/target/soak
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -Werror -I "$root/include" "$root/tests/c/soak.c" -o "$program" \
  -L "$library_dir" -lkrjwt -Wl,-rpath,"$library_dir"
exec "$program" "$cycles"
