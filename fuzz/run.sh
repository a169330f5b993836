#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ and runs each for a while:
#
#   fuzz/run.sh [--seconds N | --runs N] [target...]   (default: 30 seconds each, every target)
#
# --runs N replays the corpus and then tries N mutations with a fixed seed: the same binary gives the
# same run, which is what the test suite uses.
#
# The crate is built as a static library with LLVM's SanitizerCoverage in the Rust code (so that
# libFuzzer is guided by coverage of krjwt itself, not only of the C harness) plus overflow checks
# and debug assertions; the harnesses are compiled with clang's libFuzzer and AddressSanitizer
# (whose allocator also watches the Rust side's malloc/free, and whose LeakSanitizer reports leaks
# per input). Exits non-zero if any target found something; the input is left in
# fuzz/artifacts/<target>/.
#
# Environment: CLANG (default clang-14, else clang); KRJWT_CARGO_FLAGS, extra cargo arguments such
# as the offline source replacement (see fuzz/README.md).
set -euo pipefail

seconds=30
bound=()
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --runs) bound=(-runs="${2:?--runs needs a number}" -seed=1); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ${#targets[@]} -eq 0 ]; then
  targets=(validate key_import inspect jwe_decrypt)
fi
for target in "${targets[@]}"; do
  if [ ! -f "fuzz/$target.c" ] || [ "$target" = seeds ]; then
    echo "fuzz/run.sh: no fuzz target '$target' (fuzz/<target>.c)" >&2
    exit 2
  fi
done

clang=${CLANG:-$(command -v clang-14 || command -v clang || true)}
if [ -z "$clang" ] || [ ! -f "$("$clang" -print-file-name="libclang_rt.fuzzer-$(uname -m).a")" ]; then
  echo "fuzz/run.sh: needs clang with its libFuzzer runtime (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi
host=$(rustc -vV | sed -n 's/^host: //p')
work=$root/target/fuzz
# An explicit --target keeps RUSTFLAGS away from build scripts and proc macros, which must not be
# instrumented (they would need the libFuzzer runtime to link).
# shellcheck disable=SC2086 # KRJWT_CARGO_FLAGS is a list of arguments
RUSTFLAGS="-C passes=sancov-module -C llvm-args=-sanitizer-coverage-level=3 \
-C llvm-args=-sanitizer-coverage-inline-8bit-counters -C llvm-args=-sanitizer-coverage-pc-table \
-C llvm-args=-sanitizer-coverage-trace-compares -C overflow-checks=on -C debug-assertions=on" \
  cargo ${KRJWT_CARGO_FLAGS:-} rustc --quiet --release --lib --crate-type staticlib \
  --target "$host" --target-dir "$work"
library=$work/$host/release/libkrjwt.a

# The harnesses are compiled against the header of the code just built, even before
# include/krjwt.h is regenerated: a mismatch would show up as false crashes.
mkdir -p "$work/include" "$work/bin" "$work/logs"
cbindgen --quiet --config cbindgen.toml --output "$work/include/krjwt.h" src/ffi/mod.rs

status=0
for target in "${targets[@]}"; do
  "$clang" -g -O1 -std=c11 -Wall -Wextra -Werror -fsanitize=fuzzer,address -I "$work/include" \
    "fuzz/$target.c" "$library" -lssl -lcrypto -lpthread -ldl -lm -o "$work/bin/$target"

  # New inputs go to the first, uncommitted corpus; fuzz/corpus/<target> holds the seeds and the
  # regression inputs, all replayed before fuzzing starts.
  mkdir -p "$work/corpus/$target" "fuzz/artifacts/$target"
  log=$work/logs/$target.log
  [ ${#bound[@]} -gt 0 ] || bound=(-max_total_time="$seconds")
  if "$work/bin/$target" "${bound[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/jose.dict -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/" \
      "$work/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    counters=$(grep -o '([0-9]* inline 8-bit counters)' "$log" | tr -d '()')
    echo "fuzz: $target: $runs runs, $coverage ($counters), no findings"
  else
    status=1
    echo "fuzz: $target FAILED; log: $log" >&2
    tail -n 40 "$log" >&2
    # A seed that fails again (a regression input above all) needs no new seed; a new input does.
    input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
    if [ -n "$input" ]; then
      seed=$(for file in "fuzz/corpus/$target"/*; do if cmp -s "$file" "$input"; then echo "$file"; fi; done)
      if [ -n "$seed" ]; then
        echo "fuzz: the input is the seed $seed: what it records is not (or no longer) fixed" >&2
      else
        echo "fuzz: a new finding: keep $input as fuzz/corpus/$target/regress-<what-it-is> (fuzz/README.md)" >&2
      fi
    fi
  fi
done
exit $status
