"""A bounded load test on loopback: 50 concurrent clients for 20 s against gunicorn, zero errors."""

import pytest

from benchmarks.harness import Gunicorn, dashboard_year_paths, data_version
from benchmarks.run import load

pytestmark = pytest.mark.load


def test_load001_fifty_clients_twenty_seconds_no_errors():
    server = Gunicorn("dashboard.app:server", workers=2)
    try:
        bodies = dashboard_year_paths(version=data_version(server.port))  # a choice's answer: a GET
        result = load(server, bodies, seconds=20, clients=50)
    finally:
        server.stop()
    assert result["errors"] == 0, result
    assert result["requests"] > 50
