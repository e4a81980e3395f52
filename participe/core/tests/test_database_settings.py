"""Connections as configured by settings.py: PostgreSQL without JIT compilation (docs/deployment.md)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries_just_in_time():
    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting: the PostgreSQL run of .ci/run checks it")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
