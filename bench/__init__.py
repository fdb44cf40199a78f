"""Benchmarks, quality evaluations and model-building scripts: run `python -m bench.<name>` from the root."""
