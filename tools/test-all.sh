#!/bin/bash
# Runs the whole test suite: a release build, then the same suite again under
# AddressSanitizer + UBSan, the threaded tests under ThreadSanitizer, then
# short libFuzzer runs (tools/fuzz.sh).
# Tests that need PyTorch, the shared checkpoints or GIMP skip (exit 77)
# when those are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh

summary() {   # one closing line per build: "N passed, N failed, N skipped"
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1] + "/meson-logs/testlog.json"):
    r = json.loads(line)["result"]
    key = "OK" if r in ("OK", "EXPECTEDFAIL") else "SKIP" if r == "SKIP" else "FAIL"
    counts[key] += 1
print(f"{sys.argv[1]}: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
}

status=0
bash tools/build.sh build
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build

bash tools/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debugoptimized
ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 || status=1
summary build-asan

# ThreadSanitizer: the tile workers, layer helpers, pool shutdown and the CLI
# on ~1 MP with 2 and 4 threads (the 'tsan' suite, tests/meson.build; ~4-6
# min on 2 cores).  GLib is not instrumented: tests/tsan-glib-shim.c tells
# TSan what GLib's locks order, tests/tsan.supp silences races inside GLib.
# A compiler that cannot build with -fsanitize=thread fails the run.
tsan_start=$SECONDS
if ! echo 'int main(void){return 0;}' | cc -x c -fsanitize=thread -o /dev/null - 2>/dev/null; then
  echo "build-tsan: FAILED -- the C compiler cannot link -fsanitize=thread (gcc needs libtsan, package libgcc-12-dev)"
  status=1
elif bash tools/build.sh build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized; then
  meson test -C build-tsan --suite tsan --print-errorlogs --num-processes 2 || status=1
  summary build-tsan
else
  echo "build-tsan: FAILED -- the ThreadSanitizer build did not build"
  status=1
fi
echo "build-tsan: the TSan stage took $((SECONDS - tsan_start)) s"

# 20 s for each fuzz target (the model loader with a model run, the image
# header probe); clang is installed by install-deps.sh, and its absence is a
# failure, not a skip.
bash tools/fuzz.sh 20 || status=1

# GIMP 3: the plug-in built and its suite run inside a Debian 13 root that
# tools/gimp3/run.sh makes on first use (debootstrap + apt, ~5-10 min, then
# reused).  A root that cannot be made fails the run; it is never skipped.
if tools/gimp3/run.sh bash tools/build.sh build-gimp3 -Dgimp=3; then
  tools/gimp3/run.sh meson test -C build-gimp3 --suite gimp3 --print-errorlogs || status=1
  summary build-gimp3
else
  echo "build-gimp3: FAILED -- no GIMP 3 build (see tools/gimp3/run.sh's messages above)"
  status=1
fi
exit $status
