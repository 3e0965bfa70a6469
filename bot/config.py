"""Settings, read once from the environment and an optional ``.env`` file.

Every setting is listed with a comment in ``.env.example``. Values already in
the environment win over ``.env``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout's top directory; in an installed copy, the directory holding the package."""


def _default_seed_file() -> Path:
    """data/seed.yaml: the copy a wheel installs in the package, else the checkout's own.

    pyproject.toml maps the checkout's top-level ``data`` directory to
    ``bot/data`` in built packages, so one file serves both.
    """
    packaged = Path(__file__).resolve().parent / "data" / "seed.yaml"
    return packaged if packaged.is_file() else PROJECT_ROOT / "data" / "seed.yaml"


DEFAULT_SEED_FILE = _default_seed_file()


@dataclass(frozen=True)
class Settings:
    """Validated settings. Build one with `Settings.load`."""

    database_url: str = field(repr=False)
    seed_file: Path | None = DEFAULT_SEED_FILE
    discord_token: str | None = field(default=None, repr=False)
    command_prefix: str = "!"
    dev_guild_id: int | None = None
    curator_role_ids: frozenset[int] = frozenset()
    curator_user_ids: frozenset[int] = frozenset()
    audit_channel_id: int | None = None
    log_level: str = "INFO"
    shard_count: int | None = None
    """How many gateway shards the bot has in all, across every process; None: no sharding."""
    shard_ids: tuple[int, ...] | None = None
    """The shards this process runs; None: all ``shard_count`` of them."""
    draft_allow_private_urls: bool = False
    """Whether ``curate article`` may fetch URLs on loopback and private addresses."""

    @property
    def sharded(self) -> bool:
        """Whether the bot runs as an `AutoShardedBot` (``SHARD_COUNT`` is set)."""
        return self.shard_count is not None

    @classmethod
    def load(cls, env_file: str | Path | None = ".env") -> Settings:
        """Read settings from the process environment, falling back to ``env_file``."""
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ)
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from a name→text mapping, raising `ConfigError` on bad values."""

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        url = get("DATABASE_URL")
        if url is None:
            path = Path(get("DIPLOBOT_DB_PATH") or "diplobot.db").expanduser()
            url = f"sqlite:///{path}"
        else:
            url = _database_url(url)
        seed = get("DIPLOBOT_SEED_FILE")
        seed_file: Path | None = DEFAULT_SEED_FILE
        if seed is not None:
            seed_file = None if seed.lower() == "none" else Path(seed).expanduser()

        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in logging.getLevelNamesMapping():
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
        prefix = env.get("COMMAND_PREFIX", "!")
        if not prefix.strip():
            raise ConfigError("COMMAND_PREFIX must not be blank")

        guild = get("DEV_GUILD_ID")
        audit = get("AUDIT_CHANNEL_ID")
        shard_count, shard_ids = _shards(get("SHARD_COUNT"), get("SHARD_IDS"))
        return cls(
            database_url=url,
            seed_file=seed_file,
            discord_token=get("DISCORD_TOKEN"),
            command_prefix=prefix.strip(),
            dev_guild_id=_snowflake("DEV_GUILD_ID", guild) if guild else None,
            curator_role_ids=_snowflakes("CURATOR_ROLE_IDS", get("CURATOR_ROLE_IDS")),
            curator_user_ids=_snowflakes("CURATOR_USER_IDS", get("CURATOR_USER_IDS")),
            audit_channel_id=_snowflake("AUDIT_CHANNEL_ID", audit) if audit else None,
            log_level=level,
            shard_count=shard_count,
            shard_ids=shard_ids,
            draft_allow_private_urls=(get("DRAFT_ALLOW_PRIVATE_URLS") or "0").lower()
            in {"1", "true", "yes", "on"},
        )


_SUPPORTED_DATABASES = (
    "DATABASE_URL must be an SQLite or PostgreSQL URL: sqlite:///PATH, "
    "postgresql://user:password@host/db or postgres://user:password@host/db "
    "(postgresql+psycopg:// also works)"
)
_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+psycopg"})
"""Schemes read as PostgreSQL through psycopg; ``postgres://`` is what hosted services hand out."""
_SQLITE_SCHEMES = frozenset({"sqlite", "sqlite+pysqlite"})


def _database_url(text: str) -> str:
    """text as a URL diplobot can open: ``postgres://`` and ``postgresql://`` get the
    psycopg driver; any other scheme than those and SQLite's is refused in one line.

    Only the scheme's text is looked at, so no SQLAlchemy dialect is loaded for one
    it does not know (that would end in a `NoSuchModuleError`)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise ConfigError(f"{_SUPPORTED_DATABASES}; the value set is not a URL") from None
    scheme = url.drivername.lower()
    if scheme in _POSTGRES_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
    elif scheme not in _SQLITE_SCHEMES:
        shown = scheme if len(scheme) <= 40 else scheme[:40] + "…"
        raise ConfigError(f"{_SUPPORTED_DATABASES}; {shown!r} is not supported")
    return url.render_as_string(hide_password=False)


def _snowflake(name: str, text: str) -> int:
    if not text.isdigit():
        raise ConfigError(f"{name} must be a Discord id (digits only), not {text!r}")
    return int(text)


def _snowflakes(name: str, text: str | None) -> frozenset[int]:
    if text is None:
        return frozenset()
    return frozenset(_snowflake(name, part.strip()) for part in text.split(",") if part.strip())


def _shards(count: str | None, ids: str | None) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT and SHARD_IDS, checked: a count of at least 1, and distinct shard ids
    below it, which need the count to be set."""
    if count is None:
        if ids is not None:
            raise ConfigError(
                "SHARD_IDS needs SHARD_COUNT, the number of shards across all processes"
            )
        return None, None
    if not _digits(count) or int(count) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number of at least 1, not {count!r}")
    total = int(count)
    if ids is None:
        return total, None
    parts = [part.strip() for part in ids.split(",")]
    if not all(_digits(part) for part in parts):
        raise ConfigError(
            f"SHARD_IDS must be shard numbers separated by commas, such as 0,1; not {ids!r}"
        )
    numbers = tuple(int(part) for part in parts)
    if len(set(numbers)) != len(numbers):
        raise ConfigError(f"SHARD_IDS names a shard more than once: {ids!r}")
    beyond = [number for number in numbers if number >= total]
    if beyond:
        raise ConfigError(
            f"SHARD_IDS must be below SHARD_COUNT ({total}): shards are numbered 0 to "
            f"{total - 1}, not {', '.join(map(str, beyond))}"
        )
    return total, numbers


def _digits(text: str) -> bool:
    """Whether text is a plain number: ASCII digits only (``int`` refuses ``²``)."""
    return text.isascii() and text.isdigit()
