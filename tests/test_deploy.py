"""The deployment files: compose.yaml, Dockerfile and .dockerignore say what the README
says, and what they ask of diplobot is real.

No container runs here (CI has no Docker daemon). The compose file is read as YAML
and checked service by service; each bot's environment is read by diplobot's own
`Settings`, so the shard ids and the database URL are validated as a real process
would validate them; the commands given to the image are parsed by the real
command line. (``docker compose config`` is not run: these machines have the docker
command but not its compose plugin, and a test that skips itself proves nothing.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.cli import build_parser
from bot.config import Settings

PROJECT = Path(__file__).resolve().parent.parent
COMPOSE = PROJECT / "compose.yaml"
DOCKERFILE = PROJECT / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose["services"]
    assert isinstance(found, dict)
    return found


def bots(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services(compose).items() if name.startswith("bot")}


def interpolated(value: str) -> str:
    """value with Compose's ``${NAME:-default}`` replaced by the default, as with an
    .env that leaves NAME empty."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    assert isinstance(env, dict), "environment as a mapping"
    return {key: interpolated(str(value)) for key, value in env.items()}


def test_the_database_has_a_volume_and_a_pg_isready_healthcheck(compose: dict[str, Any]) -> None:
    db = services(compose)["db"]
    assert str(db["image"]).startswith("postgres:")
    volume, _, path = db["volumes"][0].partition(":")
    assert volume in compose["volumes"], "a named volume, so data outlives the container"
    assert path == "/var/lib/postgresql/data"
    check = db["healthcheck"]
    assert "pg_isready" in " ".join(check["test"])
    assert check["interval"] and check["retries"] >= 3
    assert "ports" not in db, "the database is not published to the host"


def test_migrations_run_once_before_the_bots(compose: dict[str, Any]) -> None:
    migrate = services(compose)["migrate"]
    assert migrate["command"] == ["db", "upgrade"]
    parsed = build_parser().parse_args(migrate["command"])
    assert (parsed.action, parsed.db_action) == ("db", "upgrade")
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert migrate["env_file"] == ".env"
    for name, bot in bots(compose).items():
        assert bot["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_every_process_reaches_the_database_service(compose: dict[str, Any]) -> None:
    db = environment(services(compose)["db"])
    for name in ["migrate", *bots(compose)]:
        settings = Settings.from_mapping(environment(services(compose)[name]))
        url = make_url(settings.database_url)
        assert url.drivername == "postgresql+psycopg", name
        assert url.host == "db" and url.port == 5432, name
        assert (url.username, url.password, url.database) == (
            db["POSTGRES_USER"],
            db["POSTGRES_PASSWORD"],
            db["POSTGRES_DB"],
        ), name


def test_the_bot_processes_split_the_shards_between_them(compose: dict[str, Any]) -> None:
    running = bots(compose)
    assert len(running) >= 2, "an example of several processes"
    shards: list[int] = []
    counts = set()
    for name, bot in running.items():
        assert bot["env_file"] == ".env", "DISCORD_TOKEN and the rest come from .env"
        assert bot.get("command") in (None, ["run"])
        assert bot["restart"] == "unless-stopped"
        settings = Settings.from_mapping(environment(bot))  # validated as diplobot would
        assert settings.shard_count is not None and settings.shard_ids is not None, name
        counts.add(settings.shard_count)
        shards.extend(settings.shard_ids)
    assert len(counts) == 1, "every process agrees on SHARD_COUNT"
    assert sorted(shards) == list(range(counts.pop())), "each shard run by exactly one process"


def test_the_image_installs_diplobot_with_postgres_and_runs_it_unprivileged() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    assert lines[0] == "FROM python:3.11-slim"
    assert any(line.startswith("RUN pip install") and '".[postgres]"' in line for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), "the bot does not run as root"
    for line in lines:
        if line.startswith("COPY "):
            source = line.split()[1]
            assert (PROJECT / source).exists(), f"{source} is in the checkout"
    entry = next(line for line in lines if line.startswith("ENTRYPOINT"))
    command = next(line for line in lines if line.startswith("CMD"))
    assert entry == 'ENTRYPOINT ["diplobot"]'
    assert build_parser().parse_args(yaml.safe_load(command.removeprefix("CMD"))).action == "run"


def test_the_token_and_local_files_stay_out_of_the_image() -> None:
    ignored = (PROJECT / ".dockerignore").read_text(encoding="utf-8").split()
    for name in (".env", ".git", ".venv", "*.db", "tests"):
        assert name in ignored, name
