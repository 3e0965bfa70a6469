"""Tests marked ``postgres`` run when there is a server, are skipped on a developer's
machine when there is none, and fail in CI (``CI=true``) when there is none.

The rule is `tests.conftest.postgres_verdict`; it is tested here with a stand-in
probe, then with the real one against a port nothing listens on, and last through
pytest itself: a ``postgres`` test run in a child pytest with an unreachable server
is reported as an error with the reason under CI=true, and as a skip without it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CI_VARIABLE, POSTGRES_URL_VARIABLE, in_ci, postgres_verdict, unreachable

PROJECT = Path(__file__).resolve().parent.parent
URL = "postgresql+psycopg://postgres:pw@db.example:5432/test"


def answers(_url: str) -> str | None:
    return None


def refuses(_url: str) -> str | None:
    return "connection refused"


def never_probed(_url: str) -> str | None:
    raise AssertionError("no URL, nothing to probe")


@pytest.mark.parametrize("ci", ["true", "TRUE", "1", "yes"])
def test_ci_is_recognised(ci: str) -> None:
    assert in_ci({CI_VARIABLE: ci})


@pytest.mark.parametrize("env", [{}, {CI_VARIABLE: ""}, {CI_VARIABLE: "false"}])
def test_a_developer_machine_is_not_ci(env: dict[str, str]) -> None:
    assert not in_ci(env)


def test_a_reachable_server_runs_the_tests_in_and_out_of_ci() -> None:
    for env in ({POSTGRES_URL_VARIABLE: URL}, {POSTGRES_URL_VARIABLE: URL, CI_VARIABLE: "true"}):
        assert postgres_verdict(env, answers) == ("run", URL)


def test_no_url_skips_on_a_developer_machine() -> None:
    verdict, why = postgres_verdict({POSTGRES_URL_VARIABLE: " "}, never_probed)
    assert verdict == "skip"
    assert why == f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server to test against"


def test_no_url_fails_in_ci() -> None:
    verdict, why = postgres_verdict({CI_VARIABLE: "true"}, never_probed)
    assert verdict == "fail"
    assert why.startswith(f"{POSTGRES_URL_VARIABLE} is not set")
    assert why.endswith("in CI (CI=true) PostgreSQL tests must run, not be skipped")


def test_an_unreachable_server_skips_on_a_developer_machine_and_fails_in_ci() -> None:
    skip = postgres_verdict({POSTGRES_URL_VARIABLE: URL}, refuses)
    fail = postgres_verdict({POSTGRES_URL_VARIABLE: URL, CI_VARIABLE: "true"}, refuses)
    assert skip[0] == "skip" and fail[0] == "fail"
    for _verdict, why in (skip, fail):
        assert "unreachable: connection refused" in why
        assert "db.example" in why and ":pw@" not in why, "the password is hidden"
        assert "\n" not in why


def _closed_port() -> int:
    """A local port that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_real_probe_reports_a_refused_connection_quickly() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test"
    started = time.monotonic()
    reason = unreachable(url)
    assert reason is not None and "\n" not in reason
    assert "refused" in reason.casefold() or "failed" in reason.casefold(), reason
    assert time.monotonic() - started < 5


@pytest.mark.slow
@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_a_postgres_test_without_a_server_errors_in_ci_and_skips_elsewhere(
    ci: str, outcome: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env[POSTGRES_URL_VARIABLE] = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test"
    env[CI_VARIABLE] = ci
    target = "tests/store/test_fulltext.py::test_postgres_folds_with_the_same_table"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-rA", target],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert outcome in done.stdout, done.stdout + done.stderr
    assert "is unreachable" in done.stdout
    if ci:
        assert done.returncode == 1
        assert "PostgreSQL tests must run, not be skipped" in done.stdout
    else:
        assert done.returncode == 0
