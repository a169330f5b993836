#!/usr/bin/env bash
# Timing check of RSA1_5 decryption (benches/rsa1_5_timing.rs): forged tokens whose encrypted key
# has conformant PKCS#1 v1.5 padding, and ones whose padding is wrong, must take the same time to
# refuse. Prints per-class medians and Welch's t for each pair, with a control pair (two sets of the
# same class) and a positive control (OpenSSL's own PKCS#1 decryption, which must show a
# difference); exits non-zero when KrJwt's classes are told apart (|t| > 4.5) or the control's are
# not (the check could not have seen a leak). About 4 minutes of CPU at the default:
#
#   scripts/check-rsa1_5-timing.sh [samples per class, default 100000]
#
# A measurement, not a test: run it on a quiet machine. Environment: KRJWT_CARGO_FLAGS, extra cargo
# arguments such as the offline source replacement (see build.ps1).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086 # KRJWT_CARGO_FLAGS is a list of arguments
exec cargo ${KRJWT_CARGO_FLAGS:-} bench --quiet --bench rsa1_5_timing -- "${1:-100000}"
