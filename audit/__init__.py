"""Sweeps over the demo: accessibility (axe-core), API fuzzing (schemathesis), authorization matrix, XSS.

Run with `make audit` (full) or `make audit-short` (bounded, for CI). See docs/benchmarks.md.
"""
