#!/bin/sh
# Instructions per call of KrJwt's operations next to the raw primitive, counted by callgrind so
# that a busy machine does not change the answer: ./benches/instructions.sh [iterations [alg...]]
# (build.ps1 -Bench runs it). RS256 and PS256 get two more rows against the RSA public operation
# alone (RSA_public_decrypt on the token's signature), the floor of RSA verification.
# Needs valgrind and the Debian crate source set up as build.ps1 does.
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
[ $# -gt 0 ] && shift
algs=${*:-HS256 RS256 PS256 ES512 EdDSA}
exe=$(cargo --config "source.crates-io.replace-with='debian'" --config "source.debian.directory='/usr/share/cargo/registry'" \
    --offline bench --bench instructions --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*instructions[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$exe" ] || { echo "instructions: the benchmark binary was not built" >&2; exit 1; }

count() { # alg op iterations -> total instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_call() { # alg op -> instructions per call
    echo $(( ($(count "$1" "$2" "$n") - $(count "$1" "$2" 0)) / n ))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-6s %-24s %14s %14s %7s\n' alg operation krjwt 'raw primitive' ratio
for alg in $algs; do
    check=$(per_call "$alg" check)
    ffi=$(per_call "$alg" ffi-check)
    sign=$(per_call "$alg" sign)
    build=$(per_call "$alg" build)
    if [ "$alg" = HS256 ]; then raw_sign=$sign; else raw_sign=$(per_call "$alg" raw-sign); fi
    if [ "$alg" = HS256 ]; then raw_verify=$sign; else raw_verify=$(per_call "$alg" raw-verify); fi
    printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'sign (JWS signature)' "$sign" "$raw_sign" "$(ratio "$sign" "$raw_sign")"
    printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'build (whole token)' "$build" "$raw_sign" "$(ratio "$build" "$raw_sign")"
    printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'verify+validate' "$check" "$raw_verify" "$(ratio "$check" "$raw_verify")"
    printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'same through the C ABI' "$ffi" "$check" "$(ratio "$ffi" "$check")"
    case $alg in RS256 | PS256)
        # The floor of RSA verification: the public operation alone (RSA_public_decrypt).
        floor=$(per_call "$alg" rsa-public)
        printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'verify+validate' "$check" "$floor" "$(ratio "$check" "$floor")"
        printf '%-6s %-24s %14s %14s %7s\n' "$alg" 'EVP_DigestVerify' "$raw_verify" "$floor" "$(ratio "$raw_verify" "$floor")"
    esac
done
