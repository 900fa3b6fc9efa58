#!/usr/bin/env python3
"""Writes a data directory's tables as Parquet, as a data warehouse exports
them (typed columns: integers, floats, dates), for the benchmark of
inspections read by row groups (BENCHMARKS.md, "A nation's year").

    pip install polars
    scripts/to-parquet.py FROM_DATA_DIR TO_DATA_DIR

The inspections are streamed (polars' sink_parquet), so a 1.4 GB table
converts in bounded memory; row groups of 1,000,000 rows.
"""
import pathlib
import sys

import polars as pl

src, dst = map(pathlib.Path, sys.argv[1:3])
dst.mkdir(parents=True, exist_ok=True)
for csv in sorted(src.glob("*.csv")):
    out = dst / (csv.stem + ".parquet")
    frame = pl.scan_csv(csv, try_parse_dates=True, encoding="utf8-lossy")
    frame.sink_parquet(out, row_group_size=1_000_000)
    print(f"{csv} -> {out}")
