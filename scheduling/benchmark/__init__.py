"""Public benchmarks the roster engine is measured on (see docs/benchmarks.md)."""
