#!/bin/bash
# Runs the whole test suite: a release build, then the same suite again under
# AddressSanitizer + UBSan, the threaded tests under ThreadSanitizer, then
# short libFuzzer runs (tools/fuzz.sh).
# Tests that need PyTorch, the shared checkpoints or GIMP skip (exit 77)
# when those are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

# Said up front, so that a long quiet test is not taken for a hang.  The
# figures are from runs on 2 cores shared with other work (README, "Tests").
cat <<'TEXT'
test-all: about an hour on 2 cores (less on a quiet machine; the first run 5-10 min more to make
the Debian 13 root), in 5 stages: release build + tests, ASan+UBSan build + tests (the two
longest), ThreadSanitizer (~5 min), fuzzing (40 s), GIMP 3 build + tests; each build ends with
one line per test suite and a total.
TEXT

stage() {     # "== [2/5] ASan+UBSan build and tests (build-asan/), 12 min so far"
  echo "== [$1/5] $2, $(( (SECONDS - start) / 60 )) min so far"
}

summary() {   # one line per test suite, then the build's total: "N passed, N failed, N skipped"
  /usr/bin/python3 - "$1" <<'PY'
import collections, json, sys
build = sys.argv[1]
per_suite = collections.defaultdict(collections.Counter)
total = collections.Counter()
for line in open(build + "/meson-logs/testlog.json"):
    r = json.loads(line)
    key = ("passed" if r["result"] in ("OK", "EXPECTEDFAIL")
           else "skipped" if r["result"] == "SKIP" else "failed")
    # "gimp-sr:cli / test-progress": the (first) suite, then the test.
    name = r["name"].split(" / ")[0].split(":")[-1] if " / " in r["name"] else "(none)"
    per_suite[name][key] += 1
    per_suite[name]["seconds"] += r.get("duration") or 0
    total[key] += 1
for name, c in sorted(per_suite.items()):
    print(f"{build}: suite {name:8} {c['passed']:3} passed, {c['failed']} failed, "
          f"{c['skipped']} skipped ({c['seconds'] / 60:.1f} min of test time)")
print(f"{build}: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
PY
}

bash tools/install-deps.sh
status=0
stage 1 "release build and tests (build/)"
bash tools/build.sh build
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build

stage 2 "ASan+UBSan build and tests (build-asan/)"
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
stage 3 "ThreadSanitizer build and the tsan suite (build-tsan/)"
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
stage 4 "fuzzing, 20 s per target (build-fuzz/)"
bash tools/fuzz.sh 20 || status=1

# GIMP 3: the plug-in built and its suite run inside a Debian 13 root that
# tools/gimp3/run.sh makes on first use (debootstrap + apt, ~5-10 min, then
# reused).  A root that cannot be made fails the run; it is never skipped.
stage 5 "GIMP 3 build and tests in the Debian 13 root (build-gimp3/)"
if tools/gimp3/run.sh bash tools/build.sh build-gimp3 -Dgimp=3; then
  tools/gimp3/run.sh meson test -C build-gimp3 --suite gimp3 --print-errorlogs || status=1
  summary build-gimp3
else
  echo "build-gimp3: FAILED -- no GIMP 3 build (see tools/gimp3/run.sh's messages above)"
  status=1
fi
if [ $status -eq 0 ]; then verdict="every stage passed"; else verdict="FAILED (see above)"; fi
echo "test-all: $(( (SECONDS - start) / 60 )) min in all; $verdict"
exit $status
