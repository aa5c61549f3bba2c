"""Benchmarks print their figures; they run with `pytest tests/perf -s` (CI runs them too)."""
