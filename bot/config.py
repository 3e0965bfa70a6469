"""Settings, read once from the environment and an optional ``.env`` file.

Every setting is listed with a comment in ``.env.example``. Values already in
the environment win over ``.env``. A value left blank counts as unset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

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

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
"""The logging levels LOG_LEVEL accepts, in any case."""
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)


class Settings(BaseSettings):
    """Validated settings. Build one with `Settings.load` (the environment and ``.env``)
    or `Settings.from_mapping` (one name→text mapping, nothing else read).

    Each field is read from the environment variable its alias names. Fields are
    validated in the order written here, and a wrong value is reported as the first
    problem found (`ConfigError`).
    """

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        case_sensitive=True,
        enable_decoding=False,  # lists are comma-separated text, never JSON
        env_file=".env",
        env_file_encoding="utf-8",
    )

    database_path: Path = Field(
        default=Path("diplobot.db"), validation_alias="DIPLOBOT_DB_PATH", repr=False, exclude=True
    )
    """The SQLite file `database_url` names when ``DATABASE_URL`` is blank."""
    database_url: str = Field(
        default="", validation_alias="DATABASE_URL", validate_default=True, repr=False
    )
    seed_file: Path | None = Field(default=DEFAULT_SEED_FILE, validation_alias="DIPLOBOT_SEED_FILE")
    discord_token: str | None = Field(
        default=None, validation_alias="DISCORD_TOKEN", repr=False, exclude=True
    )
    log_level: LogLevel = Field(default="INFO", validation_alias="LOG_LEVEL")
    command_prefix: str = Field(default="!", validation_alias="COMMAND_PREFIX")
    shard_count: int | None = Field(default=None, validation_alias="SHARD_COUNT")
    """How many gateway shards the bot has in all, across every process; None: no sharding."""
    shard_ids: tuple[int, ...] | None = Field(default=None, validation_alias="SHARD_IDS")
    """The shards this process runs; None: all ``shard_count`` of them."""
    dev_guild_id: int | None = Field(default=None, validation_alias="DEV_GUILD_ID")
    curator_role_ids: frozenset[int] = Field(
        default=frozenset(), validation_alias="CURATOR_ROLE_IDS"
    )
    curator_user_ids: frozenset[int] = Field(
        default=frozenset(), validation_alias="CURATOR_USER_IDS"
    )
    audit_channel_id: int | None = Field(default=None, validation_alias="AUDIT_CHANNEL_ID")
    review_channel_id: int | None = Field(default=None, validation_alias="REVIEW_CHANNEL_ID")
    """Where members' suggested corrections are posted for curators (else the audit channel)."""
    draft_allow_private_urls: bool = Field(
        default=False, validation_alias="DRAFT_ALLOW_PRIVATE_URLS"
    )
    """Whether ``curate article`` may fetch URLs on loopback and private addresses."""
    digest_hour: int = Field(default=8, validation_alias="DIGEST_HOUR")
    """The hour of the day (UTC, 0 to 23) at which followed channels get their daily digest."""
    cache_dir: Path | Literal["none"] | None = Field(default=None, validation_alias="CACHE_DIR")
    """Where catalog snapshots are kept (`snapshot_dir`); ``none``: nowhere."""

    def __init__(self, **values: Any) -> None:
        """Settings from ``values`` by field name, then the environment and ``.env``
        (pydantic-settings' own order); a bad value raises `ConfigError`.

        Only the variables' own names are read from outside (``LOG_LEVEL``, not
        ``log_level``), so field names are turned into them here."""
        fields = type(self).model_fields
        named = {_variable(fields[key]) if key in fields else key: v for key, v in values.items()}
        with _explained():
            super().__init__(**named)

    @property
    def sharded(self) -> bool:
        """Whether the bot runs as an `AutoShardedBot` (``SHARD_COUNT`` is set)."""
        return self.shard_count is not None

    def snapshot_dir(self) -> Path | None:
        """The directory for catalog snapshots: ``CACHE_DIR``; unset, beside the SQLite
        file (``.diplobot-cache``), and none for PostgreSQL; ``none``: no snapshots."""
        if self.cache_dir == "none":
            return None
        if self.cache_dir is not None:
            return self.cache_dir
        database = sqlite_database(self.database_url)
        if database is None:
            from sqlalchemy.engine import make_url

            url = make_url(self.database_url)
            database = url.database if url.get_backend_name() == "sqlite" else None
        if not database or database == ":memory:":
            return None
        return Path(database).expanduser().parent / ".diplobot-cache"

    @classmethod
    def load(cls, env_file: str | Path | None = ".env") -> Settings:
        """Read settings from the process environment, falling back to ``env_file``."""
        return cls(_env_file=env_file)

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from a name→text mapping, raising `ConfigError` on bad values."""
        read = {name: env[name] for name in cls._variables() if name in env}
        with _explained():
            return cls.model_validate(read)

    @classmethod
    def _variables(cls) -> list[str]:
        """The environment variables settings are read from, one per field: only these
        names are read (``LOG_LEVEL``, not ``log_level``)."""
        return [_variable(field) for field in cls.model_fields.values()]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then ``.env``; no secrets directory."""
        return init_settings, env_settings, dotenv_settings

    @field_validator("database_path", mode="before")
    @classmethod
    def _database_path(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return Path(_text(value) or "diplobot.db").expanduser()

    @field_validator("database_url", mode="before")
    @classmethod
    def _database(cls, value: object, info: ValidationInfo) -> object:
        """DATABASE_URL, checked (`_database_url`); blank: the SQLite file DIPLOBOT_DB_PATH."""
        if not isinstance(value, str):
            return value
        text = _text(value)
        if text is None:
            return f"sqlite:///{info.data.get('database_path', Path('diplobot.db'))}"
        return _database_url(text)

    @field_validator("seed_file", mode="before")
    @classmethod
    def _seed(cls, value: object) -> object:
        """A path; blank: `DEFAULT_SEED_FILE`; ``none``, in any case: no seed file."""
        if not isinstance(value, str):
            return value
        text = _text(value)
        if text is None:
            return DEFAULT_SEED_FILE
        return None if text.lower() == "none" else Path(text).expanduser()

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _cache(cls, value: object) -> object:
        """A directory; blank: the default place (`snapshot_dir`); ``none``, in any case: none."""
        if not isinstance(value, str):
            return value
        text = _text(value)
        if text is None:
            return None
        return "none" if text.lower() == "none" else Path(text).expanduser()

    @field_validator("discord_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        return _text(value) if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        """One of `LOG_LEVELS`, in any case; unset: INFO."""
        if not isinstance(value, str):
            return value
        level = (_text(value) or "INFO").upper()
        if level not in LOG_LEVELS:
            names = ", ".join(LOG_LEVELS[:-1])
            raise ValueError(f"LOG_LEVEL must be {names} or {LOG_LEVELS[-1]}, not {level!r}")
        return level

    @field_validator("command_prefix", mode="before")
    @classmethod
    def _prefix(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():
            raise ValueError("COMMAND_PREFIX must not be blank")
        return value.strip()

    @field_validator("shard_count", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        """At least 1, as plain digits."""
        value = _text(value) if isinstance(value, str) else value
        if value is None:
            return None
        number = _whole(value)
        if number is None or number < 1:
            raise ValueError(
                f"SHARD_COUNT must be a whole number of at least 1, not {_shown(value)}"
            )
        return number

    @field_validator("digest_hour", mode="before")
    @classmethod
    def _digest_hour(cls, value: object) -> object:
        """An hour of the day, 0 to 23; blank is the default, 8."""
        value = _text(value) if isinstance(value, str) else value
        if value is None:
            return 8
        number = _whole(value)
        if number is None or not 0 <= number <= 23:
            raise ValueError(f"DIGEST_HOUR must be an hour from 0 to 23 (UTC), not {value!r}")
        return number

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: object, info: ValidationInfo) -> object:
        """Distinct shard numbers below SHARD_COUNT, which must be set."""
        value = _text(value) if isinstance(value, str) else value
        if value is None or "shard_count" not in info.data:  # unset, or SHARD_COUNT is wrong
            return None
        total = info.data["shard_count"]
        if total is None:
            raise ValueError(
                "SHARD_IDS needs SHARD_COUNT, the number of shards across all processes"
            )
        if isinstance(value, str):
            parts: list[object] = list(value.split(","))
        elif isinstance(value, list | tuple):
            parts = list(value)
        else:
            return value
        numbers = [_whole(part) for part in parts]
        if None in numbers:
            raise ValueError(
                f"SHARD_IDS must be shard numbers separated by commas, such as 0,1; "
                f"not {_shown(value)}"
            )
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"SHARD_IDS names a shard more than once: {_shown(value)}")
        beyond = [str(number) for number in numbers if number is not None and number >= total]
        if beyond:
            raise ValueError(
                f"SHARD_IDS must be below SHARD_COUNT ({total}): shards are numbered 0 to "
                f"{total - 1}, not {', '.join(beyond)}"
            )
        return tuple(numbers)

    @field_validator("dev_guild_id", "audit_channel_id", "review_channel_id", mode="before")
    @classmethod
    def _discord_id(cls, value: object, info: ValidationInfo) -> object:
        value = _text(value) if isinstance(value, str) else value
        return None if value is None else _snowflake(cls._name(info), value)

    @field_validator("curator_role_ids", "curator_user_ids", mode="before")
    @classmethod
    def _discord_ids(cls, value: object, info: ValidationInfo) -> object:
        """Comma-separated Discord ids; blank parts are skipped."""
        value = _text(value) if isinstance(value, str) else value
        if value is None:
            return frozenset()
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list | tuple | set | frozenset):
            return value
        name = cls._name(info)
        texts = (part.strip() if isinstance(part, str) else part for part in parts)
        return frozenset(_snowflake(name, part) for part in texts if part != "")

    @field_validator("draft_allow_private_urls", mode="before")
    @classmethod
    def _allow(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip().casefold()
        if text in {"1", "true", "yes", "on"} or text in {"", "0", "false", "no", "off"}:
            return text in {"1", "true", "yes", "on"}
        raise ValueError(f"{cls._name(info)} must be 1 or 0, not {value.strip()[:40]!r}")

    @classmethod
    def _name(cls, info: ValidationInfo) -> str:
        """The environment variable the field being validated is read from."""
        assert info.field_name is not None
        return _variable(cls.model_fields[info.field_name])


def _variable(field: FieldInfo) -> str:
    """The environment variable a field is read from (its alias)."""
    assert isinstance(field.validation_alias, str)
    return field.validation_alias


@contextmanager
def _explained() -> Iterator[None]:
    """Turn a failed validation into a `ConfigError` of one line: the first problem,
    worded as the validators word it, and never the value of the token."""
    try:
        yield
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        reason = first.get("ctx", {}).get("error")
        if isinstance(reason, ValueError):
            message = str(reason)
        else:  # a wrong type handed to the constructor, not text from the environment
            where = ".".join(str(part) for part in first["loc"]) or "settings"
            message = f"{where}: {first['msg']}"
        raise ConfigError(message) from None
    except SettingsError as error:
        raise ConfigError(f"cannot read the settings: {error}") from None


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
    it does not know (that would end in a `NoSuchModuleError`). A plain SQLite URL is
    taken as it is, without loading SQLAlchemy (a third of a second)."""
    if sqlite_database(text) is not None:
        return text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(f"{_SUPPORTED_DATABASES}; the value set is not a URL") from None
    scheme = url.drivername.lower()
    if scheme in _POSTGRES_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
    elif scheme not in _SQLITE_SCHEMES:
        shown = scheme if len(scheme) <= 40 else scheme[:40] + "…"
        raise ValueError(f"{_SUPPORTED_DATABASES}; {shown!r} is not supported")
    return url.render_as_string(hide_password=False)


_PLAIN_SQLITE = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_database(url: str) -> str | None:
    """The file of a plain SQLite URL (``sqlite:///PATH``, with no query), as SQLAlchemy
    reads it, found without loading SQLAlchemy; None for any other URL, and for ``:memory:``
    or no file at all."""
    for prefix in _PLAIN_SQLITE:
        if url.startswith(prefix) and "?" not in url:
            database = url[len(prefix) :]
            return database if database and database != ":memory:" else None
    return None


def _snowflake(name: str, value: Any) -> int:
    """A Discord id: plain ASCII digits (``int`` refuses ``²``, which `str.isdigit` takes),
    of a number from 1 to 2⁶⁴ - 1, as every Discord id is."""
    number = _whole(value)
    if number is None or not 0 < number < 2**64:
        raise ValueError(f"{name} must be a Discord id (digits only), not {_shown(value)}")
    return number


def _shown(value: object, limit: int = 40) -> str:
    """value quoted for a message, cut to limit characters."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _text(value: str) -> str | None:
    """value without surrounding blanks; None when nothing is left (a blank is unset)."""
    return value.strip() or None


_MOST_DIGITS = 20
"""The longest number text a setting takes (2⁶⁴ has 20 digits); longer ones are refused
before ``int`` reads them (it refuses more than 4,300 digits in words of its own)."""


def _whole(value: object) -> int | None:
    """value as a whole number of zero or more: an int, or text of at most `_MOST_DIGITS`
    ASCII digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        plain = text.isascii() and text.isdigit() and len(text) <= _MOST_DIGITS
        return int(text) if plain else None
    return None
