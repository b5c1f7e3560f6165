#!/bin/bash
# Fuzzes the model loader (and the model run) and the image header probe,
# SECONDS each (default 60), in build-fuzz/ (a clang build with ASan and
# UBSan, made here if missing).  The corpora grow in build-fuzz/corpus/ and
# are kept between runs; the committed seeds are in tests/fuzz-corpus/.
#   bash tools/fuzz.sh [SECONDS]
# Exit status 1 if a target crashed (its log is printed), 2 if clang is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

if ! command -v clang >/dev/null; then
  echo "fuzz: clang is not installed (apt-get install clang); nothing was fuzzed" >&2
  exit 2
fi
CC=clang bash tools/build.sh build-fuzz -Dfuzz=true -Dcli=disabled -Dplugin=disabled \
  -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null

status=0
# target, seeds, largest input: above the biggest seed (a 1 MiB header)
for spec in "fuzz-model-loader model 2097152" "fuzz-image-probe image 65536"; do
  read -r target seeds max_len <<<"$spec"
  corpus=build-fuzz/corpus/$seeds
  mkdir -p "$corpus"
  log=build-fuzz/$target.log
  if UBSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=0 \
     "build-fuzz/tests/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=20 \
       -rss_limit_mb=4096 "$corpus" "tests/fuzz-corpus/$seeds" >"$log" 2>&1; then
    execs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' || echo '?')
    echo "fuzz: $target: $execs executions in ${seconds} s, no crash (corpus $(ls "$corpus" | wc -l) inputs)"
  else
    echo "fuzz: $target CRASHED, see $log"
    tail -40 "$log"
    status=1
  fi
done
exit $status
