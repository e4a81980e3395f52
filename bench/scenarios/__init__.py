"""Locust scenarios: each module defines BenchUser subclasses; `make bench` runs them all together."""
