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

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED_FILE = PROJECT_ROOT / "data" / "seed.yaml"


@dataclass(frozen=True)
class Settings:
    """Validated settings. Build one with `Settings.load`."""

    database_url: str
    seed_file: Path | None = DEFAULT_SEED_FILE
    discord_token: str | None = field(default=None, repr=False)
    command_prefix: str = "!"
    dev_guild_id: int | None = None
    curator_role_ids: frozenset[int] = frozenset()
    curator_user_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"

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
        elif "://" not in url:
            raise ConfigError(
                f"DATABASE_URL must be a database URL such as sqlite:///diplobot.db "
                f"or postgresql+psycopg://user@host/db, not {url!r}"
            )
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
        return cls(
            database_url=url,
            seed_file=seed_file,
            discord_token=get("DISCORD_TOKEN"),
            command_prefix=prefix.strip(),
            dev_guild_id=_snowflake("DEV_GUILD_ID", guild) if guild else None,
            curator_role_ids=_snowflakes("CURATOR_ROLE_IDS", get("CURATOR_ROLE_IDS")),
            curator_user_ids=_snowflakes("CURATOR_USER_IDS", get("CURATOR_USER_IDS")),
            log_level=level,
        )


def _snowflake(name: str, text: str) -> int:
    if not text.isdigit():
        raise ConfigError(f"{name} must be a Discord id (digits only), not {text!r}")
    return int(text)


def _snowflakes(name: str, text: str | None) -> frozenset[int]:
    if text is None:
        return frozenset()
    return frozenset(_snowflake(name, part.strip()) for part in text.split(",") if part.strip())
