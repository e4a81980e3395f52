"""Load tests and micro-benchmarks (see docs/benchmarks.md). Never imported by the application."""
