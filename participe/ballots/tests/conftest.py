import participe.ballots.tests.schema  # noqa: F401  (registers the test schema)
