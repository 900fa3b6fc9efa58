#!/bin/sh
# The province-scale benchmark: builds the release binary, generates the
# three benchmark cases (deterministic, seed 1) and times `zwgk run
# --no-charts` and `zwgk check` (no reports) on each, reporting wall time
# (hyperfine when installed, otherwise /usr/bin/time over three runs) and
# peak resident memory; with Python polars installed (pip install polars)
# also polars' own read of the same CSVs, the reference for the 2× target.
#
#   scripts/bench.sh            # 1k/50k and 20k/1M
#   scripts/bench.sh --large    # also 100k/5M (370 MB of CSV, ~20 s a run)
#
# Inputs and outputs go under ${BENCH_DIR:-/tmp/zwgk-bench}.
set -eu
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/zwgk-bench}
cases="1000:50000 20000:1000000"
[ "${1:-}" = "--large" ] && cases="$cases 100000:5000000"
cargo build --release --quiet
bin=./target/release/zwgk
mkdir -p "$dir"
for case in $cases; do
    units=${case%%:*}
    records=${case##*:}
    case_dir="$dir/u$units"
    [ -d "$case_dir/data" ] || "$bin" generate --units "$units" --records "$records" --seed 1 --out "$case_dir" >/dev/null
    run="$bin run --indicators $case_dir/indicators.toml --data $case_dir/data --out $case_dir/out --no-charts --force"
    check="$bin check --indicators $case_dir/indicators.toml --data $case_dir/data"
    echo "== $units units, $records records ($(du -sh "$case_dir/data" | cut -f1) of input)"
    if command -v hyperfine >/dev/null; then
        hyperfine --warmup 1 --runs 5 -N "$run" "$check" | grep -E "Benchmark|Time|Range" | cut -c1-90
    else
        for i in 1 2 3; do /usr/bin/time -f "  run %e s" $run 2>&1 | tail -1; done
        for i in 1 2 3; do /usr/bin/time -f "  check %e s" $check 2>&1 | tail -1; done
    fi
    if python3 -c "import polars" 2>/dev/null; then
        python3 - "$case_dir/data" <<'PY'
import glob, statistics, sys, time
import polars as pl
files = sorted(glob.glob(sys.argv[1] + "/*.csv"))
times = []
for _ in range(8):
    t = time.perf_counter()
    for f in files:
        pl.read_csv(f, infer_schema=False)
    times.append(time.perf_counter() - t)
print(f"  polars {pl.__version__} alone reads the CSVs as text in {statistics.median(times):.3f} s (median of 8)")
PY
    fi
    /usr/bin/time -f "  peak memory %M KB" $run 2>&1 | tail -1
    ZWGK_TIMING=1 $run 2>&1 | grep '^timing' | sed 's/^/  /'
done
