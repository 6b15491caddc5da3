"""Benchmarks: `python -m bench` (or `make bench`) prints every figure with its goal."""
