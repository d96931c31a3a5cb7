#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz and runs each one for a bounded
# time, starting from the seeds in fixtures/fuzz/<target>/ and the past findings in
# fixtures/fuzz/regressions/<target>/.
#
# Usage: tools/fuzz.sh [--build-only] [TARGET...]     (default: every target, one after another)
#   FUZZ_SECONDS=60     seconds per target
#   FUZZ_BUILD_DIR=build-fuzz
#   FUZZ_JOBS=<nproc>   build parallelism
#
# The growing corpus lives in build-fuzz/corpus/<target>/ (never committed). A crash, timeout or
# out-of-memory input lands in build-fuzz/findings/<target>/; the script goes on with the next
# target, then exits 1 and names the findings. Turn each one into a regression: copy it to
# fixtures/fuzz/regressions/<target>/ (the test "fuzz_regressions" replays it in every build) and
# fix the code.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
all_targets=(text_article jsonl_line jsonl_reader text rule_loader)

build_only=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) targets+=("$arg") ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi
if [ ! -f "$dir/CMakeCache.txt" ]; then
  # -O1 -g1: libFuzzer's usual choice; compiles twice as fast as -O2 -g (it matters in CI).
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
        -DCMAKE_CXX_COMPILER=clang++ -DSTANCE_BUILD_FUZZ=ON -DSTANCE_BUILD_TESTS=OFF >&2
fi
cmake --build "$dir" -j "$jobs" --target fuzz_targets >&2
((build_only)) && exit 0

# Leaks are real findings too, but an input that only leaks is reported as such by ASan.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
summary=()
for target in "${targets[@]}"; do
  binary="$dir/fuzz_$target"
  [ -x "$binary" ] || { echo "fuzz: no target '$target' (have: ${all_targets[*]})" >&2; exit 2; }
  corpus="$dir/corpus/$target"
  findings="$dir/findings/$target"
  log="$dir/logs/$target.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  seeds=()
  for extra in "fixtures/fuzz/$target" "fixtures/fuzz/regressions/$target"; do
    [ -d "$extra" ] && seeds+=("$extra")
  done
  dict=()
  [ -f "fixtures/fuzz/$target.dict" ] && dict=(-dict="fixtures/fuzz/$target.dict")
  echo "fuzz: $target for ${seconds}s (log: $log)" >&2
  # New inputs go to the first corpus folder only, so the seeds in fixtures/ stay as written.
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
       -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" \
       "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FINDING"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  line="$target: $result, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?} edges, ${ft:-?} features"
  summary+=("$line")
  if [ "$result" != ok ]; then
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 >&2 || true
  fi
done

printf 'fuzz: %s\n' "${summary[@]}"
if ((status)); then
  echo "fuzz: findings in $dir/findings/ (copy each to fixtures/fuzz/regressions/<target>/ and fix)" >&2
fi
exit $status
