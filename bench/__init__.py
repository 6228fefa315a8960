"""Benchmarks: outline generator (``bench.generate``) and the runner (``bench/run.py``)."""
