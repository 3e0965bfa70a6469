"""Settings: read from the environment, validated, explained when wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import bot.config
from bot.config import DEFAULT_SEED_FILE, PROJECT_ROOT, Settings
from bot.curation.files import read_document
from bot.curation.validate import validate
from bot.errors import ConfigError


def test_defaults_need_nothing_set() -> None:
    settings = Settings.from_mapping({})
    assert settings.database_url == "sqlite:///diplobot.db"
    assert settings.seed_file == DEFAULT_SEED_FILE and DEFAULT_SEED_FILE.is_file()
    assert settings.discord_token is None
    assert settings.command_prefix == "!"
    assert settings.log_level == "INFO"


def test_every_setting_is_read() -> None:
    settings = Settings.from_mapping(
        {
            "DISCORD_TOKEN": "secret-token",
            "COMMAND_PREFIX": "?",
            "DIPLOBOT_DB_PATH": "/tmp/x.db",
            "DIPLOBOT_SEED_FILE": "none",
            "DEV_GUILD_ID": "123",
            "CURATOR_ROLE_IDS": "1, 2",
            "CURATOR_USER_IDS": "3",
            "LOG_LEVEL": "debug",
        }
    )
    assert settings.database_url == "sqlite:////tmp/x.db"
    assert settings.seed_file is None
    assert settings.command_prefix == "?"
    assert settings.dev_guild_id == 123
    assert settings.curator_role_ids == {1, 2} and settings.curator_user_ids == {3}
    assert settings.log_level == "DEBUG"
    assert "secret-token" not in repr(settings)


def test_plain_postgresql_urls_get_the_installed_driver() -> None:
    url = Settings.from_mapping({"DATABASE_URL": "postgresql://u:pw@db:5432/x"}).database_url
    assert url == "postgresql+psycopg://u:pw@db:5432/x"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "not a url", "DATABASE_URL must be an SQLite or PostgreSQL URL"),
        ("DATABASE_URL", "mysql://u@h/db", "'mysql' is not supported"),
        ("DEV_GUILD_ID", "my-server", "DEV_GUILD_ID must be a Discord id"),
        ("CURATOR_ROLE_IDS", "1,mods", "CURATOR_ROLE_IDS must be a Discord id"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"),
        ("COMMAND_PREFIX", "  ", "COMMAND_PREFIX must not be blank"),
    ],
)
def test_bad_values_are_explained(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_mapping({name: value})


def test_a_bad_url_is_not_echoed_back() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({"DATABASE_URL": "postgres:/u:hunter2@db"})
    assert "hunter2" not in str(raised.value)


def test_default_seed_file_exists_and_is_valid() -> None:
    assert DEFAULT_SEED_FILE.name == "seed.yaml" and DEFAULT_SEED_FILE.is_file()
    document, problems = validate(read_document(DEFAULT_SEED_FILE), {}, set())
    assert problems == []
    assert document.entities and document.facts


def test_in_a_checkout_the_seed_is_the_top_level_data_file() -> None:
    if not (PROJECT_ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a checkout")
    assert DEFAULT_SEED_FILE == PROJECT_ROOT / "data" / "seed.yaml"


def test_an_installed_package_uses_its_own_copy_of_the_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "bot"
    (package / "data").mkdir(parents=True)
    (package / "data" / "seed.yaml").write_text("facts: []\n", encoding="utf-8")
    monkeypatch.setattr(bot.config, "__file__", str(package / "config.py"))
    monkeypatch.setattr(bot.config, "PROJECT_ROOT", package.parent)
    assert bot.config._default_seed_file() == package / "data" / "seed.yaml"


def test_every_package_is_listed_for_the_wheel_with_the_seed_in_it() -> None:
    pyproject = PROJECT_ROOT / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip("not run from a checkout")
    setuptools = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {
        ".".join(folder.relative_to(PROJECT_ROOT).parts)
        for folder in (PROJECT_ROOT / "bot").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    assert found | {"bot", "bot.data"} == set(setuptools["packages"])
    assert setuptools["package-dir"] == {"bot.data": "data"}
    assert setuptools["package-data"]["bot.data"] == [DEFAULT_SEED_FILE.name]


@pytest.mark.parametrize("name", ["DEV_GUILD_ID", "AUDIT_CHANNEL_ID", "CURATOR_USER_IDS"])
@pytest.mark.parametrize("value", ["²", "1²", "１２３", "-5", "12.0"])
def test_an_id_that_is_not_plain_digits_is_one_line_not_a_traceback(name: str, value: str) -> None:
    # str.isdigit() takes '²' and full-width digits, which int() refuses or reads differently.
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({name: value})
    assert str(raised.value) == f"{name} must be a Discord id (digits only), not {value!r}"


ID_SETTINGS = ["DEV_GUILD_ID", "AUDIT_CHANNEL_ID", "CURATOR_ROLE_IDS", "CURATOR_USER_IDS"]
NOT_PLAIN_DIGITS = ["²", "٣", "1²", "１２３", "9" * 5000]
"""Digits `str.isdigit` takes but `int` refuses or reads otherwise, and more digits than
`int` reads at all."""


@pytest.mark.parametrize("name", ID_SETTINGS)
@pytest.mark.parametrize("value", [*NOT_PLAIN_DIGITS, "0", str(2**64)])
def test_every_id_setting_takes_only_a_discord_id_in_plain_digits(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({name: value})
    shown = repr(value) if len(value) <= 40 else repr("9" * 40 + "…")
    assert str(raised.value) == f"{name} must be a Discord id (digits only), not {shown}"
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 200


@pytest.mark.parametrize("value", NOT_PLAIN_DIGITS)
def test_the_shard_settings_take_only_plain_digits(value: str) -> None:
    for given, message in [
        ({"SHARD_COUNT": value}, "SHARD_COUNT must be a whole number of at least 1, not "),
        ({"SHARD_COUNT": "4", "SHARD_IDS": value}, "SHARD_IDS must be shard numbers separated"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": f"0,{value}"}, "SHARD_IDS must be shard numbers"),
    ]:
        with pytest.raises(ConfigError) as raised:
            Settings.from_mapping(given)
        assert str(raised.value).startswith(message)
        assert "\n" not in str(raised.value) and len(str(raised.value)) < 200


def test_the_largest_discord_id_is_taken() -> None:
    assert Settings.from_mapping({"DEV_GUILD_ID": str(2**64 - 1)}).dev_guild_id == 2**64 - 1


@pytest.mark.parametrize("level", ["DEBUG", "info", "Warning", "error", " debug "])
def test_log_level_takes_the_four_levels_it_names_in_any_case(level: str) -> None:
    assert Settings.from_mapping({"LOG_LEVEL": level}).log_level == level.strip().upper()


@pytest.mark.parametrize("level", ["CRITICAL", "critical", "FATAL", "WARN", "NOTSET", "10"])
def test_log_level_refuses_what_its_message_does_not_name(level: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({"LOG_LEVEL": level})
    assert str(raised.value) == (
        f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level.upper()!r}"
    )


def test_the_token_is_in_no_repr_dump_or_error() -> None:
    token = "MTIz.secret-token-value"
    settings = Settings.from_mapping({"DISCORD_TOKEN": token})
    assert settings.discord_token == token
    for shown in (repr(settings), str(settings), str(settings.model_dump())):
        assert token not in shown
    with pytest.raises(ConfigError) as raised:
        Settings.from_mapping({"DISCORD_TOKEN": token, "DEV_GUILD_ID": "x"})
    assert token not in str(raised.value) and "\n" not in str(raised.value)


def test_settings_are_frozen() -> None:
    settings = Settings.from_mapping({})
    with pytest.raises(ValueError, match="frozen"):
        settings.command_prefix = "?"  # type: ignore[misc]


def test_the_environment_wins_over_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "COMMAND_PREFIX=?\nLOG_LEVEL=debug\nCURATOR_ROLE_IDS=1, 2\nDATABASE_URL=sqlite:///f.db\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LOG_LEVEL", "warning")
    monkeypatch.setenv("DATABASE_URL", "")  # set but blank: unset, so DIPLOBOT_DB_PATH counts
    monkeypatch.setenv("DIPLOBOT_DB_PATH", "/tmp/p.db")
    settings = Settings.load(env_file)
    assert settings.command_prefix == "?" and settings.curator_role_ids == {1, 2}
    assert settings.log_level == "WARNING"
    assert settings.database_url == "sqlite:////tmp/p.db"
    monkeypatch.setenv("DEV_GUILD_ID", "²")
    with pytest.raises(ConfigError, match="DEV_GUILD_ID must be a Discord id"):
        Settings.load(env_file)


def test_only_the_variables_own_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_mapping({"log_level": "debug"}).log_level == "INFO"
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.setenv("log_level", "debug")
    assert Settings.load(None).log_level == "INFO"


def test_fields_can_be_given_by_name_and_are_checked_the_same() -> None:
    settings = Settings(database_url="postgres://u@db/x", log_level="warning", dev_guild_id="7")
    assert settings.database_url == "postgresql+psycopg://u@db/x"
    assert (settings.log_level, settings.dev_guild_id) == ("WARNING", 7)
    with pytest.raises(ConfigError, match="DEV_GUILD_ID must be a Discord id"):
        Settings(database_url="sqlite://", dev_guild_id="²")


@pytest.mark.parametrize(
    ("given", "hour"),
    [({}, 8), ({"DIGEST_HOUR": ""}, 8), ({"DIGEST_HOUR": "0"}, 0), ({"DIGEST_HOUR": " 23 "}, 23)],
)
def test_the_digest_hour_is_read(given: dict[str, str], hour: int) -> None:
    assert Settings.from_mapping(given).digest_hour == hour


@pytest.mark.parametrize("bad", ["24", "-1", "eight", "7.5"])
def test_a_bad_digest_hour_is_one_line(bad: str) -> None:
    with pytest.raises(
        ConfigError, match=f"DIGEST_HOUR must be an hour from 0 to 23 \\(UTC\\), not '{bad}'"
    ):
        Settings.from_mapping({"DIGEST_HOUR": bad})
