"""Tests that read the built demo (the member count is reduced; the full 108,000 are timed in
bench/bench_demo.py)."""

MEMBERS = 4_000
