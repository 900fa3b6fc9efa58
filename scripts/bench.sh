#!/bin/sh
# The province-scale benchmark: builds the release binary, generates the
# benchmark cases (deterministic, seed 1), each clean and as offices write
# tables (`generate --messy`: names, ids and aliases mixed, four date
# formats, GB18030 and UTF-8 with BOM), and times `zwgk run
# --no-charts` and `zwgk check` (no reports) on each, reporting wall time
# and peak resident memory, beside the floor: polars alone reading the same
# bytes (GB18030 transcoded with encoding_rs) into string columns in a fresh
# process (benches/read_floor.rs, the same polars build), the reference of
# the targets (run within 5x, check within 3x on messy data). Floor, run and
# check are timed in turn, round after round (scripts/interleave.py), so
# that all three meet the same moments of a noisy machine; the multiples
# are each round's own, and their median.
#
#   scripts/bench.sh            # 1k/50k and 20k/1M
#   scripts/bench.sh --large    # also 100k/5M (370 MB of CSV, ~20 s a run)
#   scripts/bench.sh --nation   # only 200k/20M (1.4 GB of CSV), as CSV and
#                               # as Parquet (needs `pip install polars`),
#                               # one run each: wall time and peak memory
#
# Inputs and outputs go under ${BENCH_DIR:-/tmp/zwgk-bench}.
set -eu
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/zwgk-bench}
cases="1000:50000 20000:1000000"
[ "${1:-}" = "--large" ] && cases="$cases 100000:5000000"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/zwgk
if [ "${1:-}" = "--nation" ]; then
    csv="$dir/u200000-clean"
    pq="$dir/u200000-parquet"
    [ -d "$csv/data" ] || "$bin" generate --units 200000 --records 20000000 --seed 1 --out "$csv" >/dev/null
    if [ ! -d "$pq/data" ]; then
        mkdir -p "$pq"
        cp "$csv/indicators.toml" "$pq/"
        scripts/to-parquet.py "$csv/data" "$pq/data" >/dev/null
    fi
    for case_dir in "$csv" "$pq"; do
        echo "== 200000 units, 20000000 records, $(basename "$case_dir") ($(du -sh "$case_dir/data" | cut -f1) of input)"
        for cmd in check run; do
            out=""
            [ $cmd = run ] && out="--out $case_dir/out --no-charts --force"
            /usr/bin/time -f "  $cmd %e s, peak memory %M KB" \
                "$bin" $cmd --indicators "$case_dir/indicators.toml" --data "$case_dir/data" $out 2>&1 | tail -1
        done
    done
    exit 0
fi
# The floor's own binary, timed in turn with the commands.
cargo bench --quiet --no-run --bench read_floor 2>/dev/null
floor_bin=$(ls -t "${CARGO_TARGET_DIR:-target}"/release/deps/read_floor-* | grep -v '\.d$' | head -1)
mkdir -p "$dir"
for case in $cases; do
  for kind in clean messy; do
    units=${case%%:*}
    records=${case##*:}
    case_dir="$dir/u$units-$kind"
    flag=""
    [ "$kind" = messy ] && flag="--messy"
    [ -d "$case_dir/data" ] || "$bin" generate --units "$units" --records "$records" --seed 1 $flag --out "$case_dir" >/dev/null
    run="$bin run --indicators $case_dir/indicators.toml --data $case_dir/data --out $case_dir/out --no-charts --force"
    check="$bin check --indicators $case_dir/indicators.toml --data $case_dir/data"
    echo "== $units units, $records records, $kind ($(du -sh "$case_dir/data" | cut -f1) of input)"
    # Floor, run and check in turn, seven rounds (scripts/interleave.py):
    # each round's run and check are set against that round's floor.
    scripts/interleave.py "${BENCH_ROUNDS:-7}" "floor=$floor_bin $case_dir/data" "run=$run" "check=$check"
    /usr/bin/time -f "  peak memory %M KB" $run 2>&1 | tail -1
    ZWGK_TIMING=1 $run 2>&1 | grep '^timing' | sed 's/^/  /'
  done
done
