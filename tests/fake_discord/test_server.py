"""Self-test of tests/fake_discord: a plain discord.py commands.Bot talks to the fake."""

from __future__ import annotations

import gc
import io
import logging

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import FakeDiscord, chat_input, running

TIMEOUT = 10.0
MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"


def make_bot(responses: list[discord.InteractionCallbackResponse[commands.Bot]]) -> commands.Bot:
    intents = discord.Intents.default()
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents)

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send(embed=discord.Embed(title="pong"))

    @bot.tree.command(description="Echo text back")
    @app_commands.describe(text="what to echo")
    async def echo(interaction: discord.Interaction[commands.Bot], text: str) -> None:
        embed = discord.Embed(title="echo", description=text)
        responses.append(await interaction.response.send_message(embed=embed))
        await interaction.original_response()  # GET .../messages/@original

    return bot


async def test_message_and_interaction(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    responses: list[discord.InteractionCallbackResponse[commands.Bot]] = []
    bot = make_bot(responses)
    async with running(bot, fake, timeout=TIMEOUT):
        assert fake.identify is not None and fake.intents == bot.intents.value

        sent = await fake.send_message("!ping")
        req = await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
        assert req.path == f"/channels/{fake.channel_id}/messages"
        assert req.body["embeds"][0]["title"] == "pong"
        assert bot.get_channel(int(fake.channel_id)) is not None
        assert sent["author"]["id"] == fake.human_id

        interaction = await fake.send_interaction(chat_input("echo", {"text": "hello"}))
        req = await fake.wait_for_request("POST", CALLBACK, TIMEOUT)
        assert req.path == f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        assert req.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
        embed = req.body["data"]["embeds"][0]
        assert (embed["title"], embed["description"]) == ("echo", "hello")
        await fake.wait_for_request("GET", r"/webhooks/\d+/[^/]+/messages/@original", TIMEOUT)
        # discord.py parsed the ?with_response=1 answer into an InteractionCallbackResponse.
        assert isinstance(responses[0].resource, discord.InteractionMessage)
        assert responses[0].resource.embeds[0].title == "echo"

    assert bot.is_closed()
    assert fake.unknown_requests == []
    del bot
    gc.collect()
    unclosed = [r for r in caplog.records if "Unclosed" in r.getMessage()]
    assert unclosed == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []  # e.g. "Ignoring exception in command ..."


async def test_without_message_content_intent_content_is_blank(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    seen: list[str] = []
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        if message.author.id != bot.user.id:  # type: ignore[union-attr]
            seen.append(message.content)
            await message.channel.send("got it", file=discord.File(io.BytesIO(b"hi"), "a.txt"))

    async with running(bot, fake, timeout=TIMEOUT):
        await fake.send_message("!ping")
        req = await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
        assert req.body["content"] == "got it"  # multipart: payload_json part
        assert req.files == {"files[0]": b"hi"}
        await fake.send_message(f"hey <@{fake.bot_id}>")  # mentions keep content
        await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
    assert seen == ["", f"hey <@{fake.bot_id}>"]


async def test_resume_and_rate_limit(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    bot = make_bot([])
    async with running(bot, fake, timeout=TIMEOUT):
        await fake.disconnect()  # resumable close code 4000
        await fake.wait_until_connected(TIMEOUT)
        assert fake.resumes == 1

        fake.rate_limit_next(retry_after=0.05)
        with caplog.at_level(logging.WARNING, logger="discord.http"):
            await fake.send_message("!ping")
            req = await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
        assert req.body["embeds"][0]["title"] == "pong"
        assert any("rate limited" in r.getMessage() for r in caplog.records)


async def test_a_dropped_connection_resumes_and_replays_what_it_missed(
    fake_discord: FakeDiscord,
) -> None:
    fake = fake_discord
    bot = make_bot([])
    async with running(bot, fake, timeout=TIMEOUT):
        fake.drop()  # TCP cut, no close frame
        await fake.send_message("!ping")  # dispatched while the bot is away: kept
        await fake.wait_until_connected(TIMEOUT)
        req = await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
        assert req.body["embeds"][0]["title"] == "pong"
        assert (fake.identifies, fake.resumes) == (1, 1)

        await fake.send_message("!ping")
        await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
    pongs = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(pongs) == 2  # the replayed one was answered once, not again


@pytest.mark.slow
async def test_an_invalidated_session_is_identified_anew(fake_discord: FakeDiscord) -> None:
    fake = fake_discord
    bot = make_bot([])
    async with running(bot, fake, timeout=TIMEOUT):
        await fake.invalidate_session()
        await fake.send_message("!ping")  # dispatched into the dead session: lost
        await fake.wait_until_connected(TIMEOUT)  # discord.py waits 5 s, then IDENTIFYs
        assert (fake.identifies, fake.resumes) == (2, 0)
        await fake.send_message("!ping")
        await fake.wait_for_request("POST", MESSAGES, TIMEOUT)
    pongs = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(pongs) == 1


@pytest.mark.slow
async def test_server_errors_502_is_retried_503_is_not(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    bot = make_bot([])
    async with running(bot, fake, timeout=TIMEOUT):
        fake.fail_next(502, path=MESSAGES)
        await fake.send_message("!ping")
        req = await fake.wait_for_request("POST", MESSAGES, TIMEOUT)  # retried after 1 s
        assert req.body["embeds"][0]["title"] == "pong"
        assert [(r.status, r.body) for r in fake.failed_requests] == [(502, req.body)]

        fake.fail_next(503, path=MESSAGES)
        with caplog.at_level(logging.ERROR):
            await fake.send_message("!ping")
            with pytest.raises(TimeoutError):
                await fake.wait_for_request("POST", MESSAGES, 2.0)
        assert [r.status for r in fake.failed_requests] == [502, 503]
        assert "DiscordServerError: 503 Service Unavailable" in caplog.text  # not retried
