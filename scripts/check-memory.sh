#!/usr/bin/env bash
# Runs every C test program (tests/c/*.c) against the release library under
#   - AddressSanitizer + LeakSanitizer: the C side is instrumented, and ASan's allocator also
#     watches the library's malloc/free (double and invalid frees, leaks unreachable at exit);
#   - valgrind memcheck, when installed: it also sees inside the uninstrumented Rust and OpenSSL
#     code (invalid accesses, uninitialised reads) and reports "possibly lost" memory, which is how
#     objects stranded in the handle registry show (scripts/valgrind.supp exempts the registry
#     table itself).
# Exits non-zero on any report or failed check. Build the library first (cargo build --release,
# or ./build.sh). Environment: CC (default cc).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

library_dir=$root/target/release
if [ ! -e "$library_dir/libkrjwt.so" ]; then
  echo "check-memory: $library_dir/libkrjwt.so is missing: build the library first (cargo build --release)" >&2
  exit 2
fi
cc=${CC:-cc}
work=$root/target/memory-check
mkdir -p "$work"
compile() { # compile <source> <output> [flags...]
  "$cc" -std=c11 -g -Wall -Wextra -Werror -I include "$1" -o "$2" "${@:3}" -L "$library_dir" -lkrjwt \
    -Wl,-rpath,"$library_dir"
}
failed=0
run() { # run <what> <log> <command...>
  if "${@:3}" >"$2" 2>&1; then
    echo "check-memory: $1: clean"
  else
    failed=1
    echo "check-memory: $1: FAILED (full log: $2)" >&2
    tail -n 40 "$2" >&2
  fi
}
has_valgrind=$(command -v valgrind >/dev/null && echo 1 || echo 0)
[ "$has_valgrind" = 1 ] || echo "check-memory: valgrind is not installed: AddressSanitizer only"

for source in tests/c/*.c; do
  name=$(basename "$source" .c)
  # The soak judges RSS over many cycles; a few show whether one cycle leaks or misbehaves.
  args=()
  [ "$name" = soak ] && args=(200)

  compile "$source" "$work/$name-asan" -O1 -fno-omit-frame-pointer -fsanitize=address
  run "$name under AddressSanitizer" "$work/$name-asan.log" \
    env ASAN_OPTIONS=detect_leaks=1 "$work/$name-asan" "${args[@]}"
  if [ "$has_valgrind" = 1 ]; then
    compile "$source" "$work/$name"
    run "$name under valgrind" "$work/$name-valgrind.log" \
      valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
      --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
      --suppressions=scripts/valgrind.supp "$work/$name" "${args[@]}"
  fi
done
exit $failed
