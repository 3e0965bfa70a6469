"""A lookup is added in one place: a handler declared with `bot.answers.commands.command`.

The throwaway ``!ping`` below is registered by a fixture and removed after it,
with no other file touched, and then works everywhere a lookup does: by prefix
and by slash on Discord, in its declared translation too (the slash commands are
built from the registry when the bot is made, so it is registered first), in the
console and ``ask``, and in ``ask --json``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import simcord

from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, Command, Translation, command
from bot.chat.bot import DiploBot
from bot.console import ask, respond
from bot.core.answer import Answer, Status
from bot.core.arguments import Param
from bot.library import Library
from tests.chat.helpers import SETTINGS, Shelf


@pytest.fixture
def ping() -> Iterator[Command]:
    """``!ping [WORDS]``, answering "Pong" and the words, for the length of one test."""
    assert "ping" not in COMMANDS

    @command(
        "ping",
        "Answers pong, and the words it was given.",
        "!ping hello",
        Param("words", "Words to send back", required=False, free_text=True),
        translations=(Translation("ru", "пинг", "Понг.", {"words": ("слова", "Слова")}),),
    )
    def _ping(catalog: Catalog, words: str | None = None) -> Answer:
        return Answer("ping", words or "", Status.FOUND, title="Pong", notice=f"pong {words}")

    try:
        yield COMMANDS["ping"]
    finally:
        del COMMANDS["ping"]


async def test_a_registered_lookup_works_by_prefix_and_by_slash(
    ping: Command, library: Library, tmp_path: Path
) -> None:
    bot = DiploBot(Shelf.copy_of(library, tmp_path / "shelf.db"), SETTINGS)
    async with simcord.run(bot) as env:
        channel = env.create_guild().create_text_channel("general")
        alice = env.guild.add_member(env.create_user("alice"))
        await bot.tree.sync()
        put = [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
        synced = {entry["name"]: entry for entry in put[-1].json}
        assert synced["ping"]["name_localizations"] == {"ru": "пинг"}
        assert synced["ping"]["options"][0]["name_localizations"] == {"ru": "слова"}
        await alice.send(channel, "!ping x")
        assert channel.last_message is not None
        embed = channel.last_message.embeds[0]
        assert embed.title == "Pong"
        assert "pong x" in (embed.description or "")
        result = await alice.slash(channel, "ping")
        assert result.response is not None and not result.ephemeral
        assert result.response.embeds[0].title == "Pong"


def test_a_registered_lookup_answers_in_the_console_and_ask(
    ping: Command, library: Library
) -> None:
    assert library.answer("!ping x").title == "Pong"
    assert respond(library, "ping x").notice == "pong x"
    out = io.StringIO()
    assert ask(library, "!ping x", json_output=False, out=out) == 0
    assert out.getvalue().startswith("Pong\n====\npong x")
    assert any(line.startswith("!ping [WORDS]") for line in library.answer("!help").lines)


def test_a_registered_lookup_answers_in_ask_json(ping: Command, library: Library) -> None:
    out = io.StringIO()
    assert ask(library, "!ping x y", json_output=True, out=out) == 0
    shown = json.loads(out.getvalue())
    assert shown["command"] == "ping"
    assert shown["query"] == "x y"
    assert shown["status"] == "found"
    assert shown["title"] == "Pong"
    assert shown["notice"] == "pong x y"


def test_the_throwaway_lookup_is_gone_after_its_test() -> None:
    assert "ping" not in COMMANDS
