#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz/fuzz_*.cpp) for a while each and reports.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     # default 60 s each, every target; CI runs 30 s each
# Builds the `fuzz` preset first (clang, ASan + UBSan). Each target starts from its seed corpus in
# tests/fuzz/corpus/<name> (read-only) and keeps what it finds in build/fuzz/corpus/<name>. A crash or a
# failed invariant leaves the input in build/fuzz/artifacts/ and makes the script exit non-zero.
# Two targets run at a time (FUZZ_JOBS to change).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
cmake --preset fuzz >/dev/null
# Ninja prints compiler and linker errors on stdout: keep them in a log and show its end when the build fails.
if ! cmake --build --preset fuzz -j"$(nproc)" >build/fuzz-build.log 2>&1; then
    grep -E 'error|FAILED' build/fuzz-build.log | head -20
    tail -20 build/fuzz-build.log
    exit 1
fi

bin=build/fuzz/tests/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$bin"/fuzz_*; do [ -f "$f" ] && [ -x "$f" ] && targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
mkdir -p build/fuzz/artifacts build/fuzz/logs

run_one() {
    local name=$1 seconds=$2
    local work=build/fuzz/corpus/$name
    mkdir -p "$work"
    # A leak in a parser is a bug too; Qt's own one-time allocations are not reported at exit by libFuzzer.
    if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "build/fuzz/tests/fuzz/fuzz_$name" "$work" "tests/fuzz/corpus/$name" \
        -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/artifacts/$name-" >"build/fuzz/logs/$name.log" 2>&1; then
        local runs cov
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build/fuzz/logs/$name.log" | grep -o '[0-9]*$' || echo '?')
        cov=$(grep -o 'cov: [0-9]*' "build/fuzz/logs/$name.log" | tail -1 | grep -o '[0-9]*' || echo '?')
        printf '%-16s ok      %10s runs  coverage %5s  corpus %4s\n' "$name" "$runs" "$cov" "$(ls "$work" | wc -l)"
    else
        printf '%-16s FAILED  see build/fuzz/logs/%s.log\n' "$name" "$name"
        grep -E 'ERROR|runtime error|fuzz invariant|SUMMARY' "build/fuzz/logs/$name.log" | head -5 | sed 's/^/    /'
        return 1
    fi
}
export -f run_one

echo "fuzzing ${#targets[@]} targets, ${seconds} s each"
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c "run_one {} $seconds"
