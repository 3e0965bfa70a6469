"""Faults over real sockets: the gateway drops, Discord answers 429 or 5xx, and the bot
carries on, with replies still arriving.

The unmodified bot (`serve`, as ``diplobot run`` calls it, on a seeded SQLite store)
runs against the loopback fake of Discord in ``tests.fake_discord``, which plays the
faults the way Discord does:

* a resumable drop (close 4000, or the TCP connection cut with no close frame) in the
  middle of a burst of commands: the bot RESUMEs, Discord replays what it missed, and
  every command sent before, during and after the drop is answered exactly once;
* a session Discord will not resume (close 4009, then INVALID_SESSION): the bot
  IDENTIFYs anew and answers again;
* 429 on a reply: discord.py waits ``retry_after`` and the reply arrives once;
* 500/502/504 on a reply: discord.py retries and the reply arrives once;
* a 502 that outlasts discord.py's five tries (25 s), or a 503 (which discord.py does
  not retry): that one reply is lost, as on Discord; the bot logs it in one line, with
  no traceback and no error reply, and answers the next command.

In every one the bot task keeps running and the token never reaches the log, even at
DEBUG.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.chat.runner import serve
from bot.config import Settings
from bot.library import Library
from tests.fake_discord import FAKE_TOKEN, FakeDiscord, RecordedRequest, chat_input
from tests.fake_discord.server import JSON, snowflake

TIMEOUT = 10.0
SETTLE = 0.5
"""Seconds to wait for a reply that must not come (a duplicate, or a lost one's retry)."""
MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"
WHO = chat_input("who", {"name": "nozdrev"})


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def canonical(body: object) -> str:
    """A request body as comparable text."""
    return json.dumps(body, sort_keys=True)


def person(name: str) -> JSON:
    """Another member of the fake guild: each has their own command cooldown (5 per 10 s)."""
    return {"id": snowflake(), "username": name, "global_name": name.title(),
            "discriminator": "0", "avatar": None, "public_flags": 0}  # fmt: skip


@contextlib.asynccontextmanager
async def diplobot(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[None]:
    """The bot serving a seeded store against ``fake``; on exit it must still be running,
    is stopped by SIGTERM, and must not have logged its token."""
    settings = Settings.from_mapping(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'faults.db'}", "DISCORD_TOKEN": FAKE_TOKEN}
    )
    library = await asyncio.to_thread(Library.open, settings)
    running = asyncio.create_task(serve(library, settings, FAKE_TOKEN))
    try:
        await fake.wait_until_connected(TIMEOUT)
        yield
        assert not running.done(), f"the bot stopped: {running}"
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(running, TIMEOUT)
    assert fake.identify is not None and fake.identify["token"] == FAKE_TOKEN
    assert "has sent the IDENTIFY payload" in caplog.text  # discord.py's DEBUG log was captured
    assert FAKE_TOKEN not in caplog.text
    assert fake.unknown_requests == []


async def replies(fake: FakeDiscord, path: str, count: int) -> list[RecordedRequest]:
    """The next ``count`` replies posted to ``path``, then proof that no more follow."""
    got: list[RecordedRequest] = []
    for _ in range(count):
        try:
            got.append(await fake.wait_for_request("POST", path, TIMEOUT))
        except TimeoutError:
            pytest.fail(f"{len(got)} of {count} replies to POST {path} within {TIMEOUT} s")
    with pytest.raises(TimeoutError):
        extra = await fake.wait_for_request("POST", path, SETTLE)
        pytest.fail(f"one reply too many: {extra.body}")
    return got


def titles(posted: list[RecordedRequest]) -> Counter[str]:
    return Counter(req.body["embeds"][0]["title"] for req in posted)


def answered(callbacks: list[RecordedRequest]) -> Counter[str]:
    """Interaction id -> how many times it was answered (with the /who card)."""
    for req in callbacks:
        assert req.body["data"]["embeds"][0]["title"] == "Nikolai Nozdrev"
    return Counter(req.path.split("/")[2] for req in callbacks)


async def eventually(check: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"no {what} within {timeout} s")
        await asyncio.sleep(0.05)


# --- the gateway drops --------------------------------------------------------------


@pytest.mark.parametrize("drop", ["close 4000", "TCP cut"])
@pytest.mark.slow
async def test_a_dropped_gateway_resumes_and_every_command_is_answered_once(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture, drop: str
) -> None:
    fake = fake_discord
    alice, bob, carol = fake.human_user, person("bob"), person("carol")
    async with diplobot(fake, tmp_path, caplog):
        # A burst: two commands go out, and the connection drops under them.
        await fake.send_message("!dispute kuril", author=alice)
        before = await fake.send_interaction(WHO, user=bob)
        if drop == "close 4000":
            await fake.disconnect(4000)
        else:
            fake.drop()
        # While the bot is away, Discord keeps the events and replays them on RESUME.
        await fake.send_message("!about iturup", author=carol)
        during = await fake.send_interaction(WHO, user=alice)
        assert fake.resumes == 0, "the bot was back before the drop's commands were sent"

        await fake.wait_until_connected(TIMEOUT)
        await fake.send_message("!timeline japan russia", author=bob)
        after = await fake.send_interaction(WHO, user=carol)

        posted = await replies(fake, MESSAGES, 3)
        callbacks = await replies(fake, CALLBACK, 3)
    assert titles(posted) == Counter(
        ["Kuril Islands dispute", "Iturup", "Timeline: Japan and Russia"]
    )
    assert answered(callbacks) == Counter(i["id"] for i in (before, during, after))
    assert (fake.identifies, fake.resumes) == (1, 1)  # resumed, not a second IDENTIFY
    assert "has successfully RESUMED session" in caplog.text


@pytest.mark.slow
async def test_a_session_discord_will_not_resume_is_identified_anew(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    async with diplobot(fake, tmp_path, caplog):
        first = fake.identify
        # 4009 "session timed out": discord.py tries RESUME, Discord answers
        # INVALID_SESSION (d=false), and discord.py IDENTIFYs after its 5 s wait.
        await fake.disconnect(4009)
        await fake.wait_until_connected(TIMEOUT)
        assert (fake.identifies, fake.resumes) == (2, 0)
        assert fake.identify is not first
        assert "session has been invalidated" in caplog.text

        await fake.send_message("!dispute kuril")
        interaction = await fake.send_interaction(WHO)
        posted = await replies(fake, MESSAGES, 1)
        callbacks = await replies(fake, CALLBACK, 1)
    assert titles(posted) == Counter(["Kuril Islands dispute"])
    assert answered(callbacks) == Counter([interaction["id"]])


# --- Discord answers 429 or 5xx -------------------------------------------------------


@pytest.mark.slow
async def test_a_rate_limited_reply_arrives_after_retry_after_once(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord
    clock = asyncio.get_running_loop().time
    async with diplobot(fake, tmp_path, caplog):
        fake.rate_limit_next(retry_after=0.5, path=MESSAGES)
        fake.rate_limit_next(retry_after=0.5, path=CALLBACK)
        asked = clock()
        await fake.send_message("!dispute kuril")
        interaction = await fake.send_interaction(WHO)
        posted = await replies(fake, MESSAGES, 1)
        callbacks = await replies(fake, CALLBACK, 1)
        waited = clock() - asked
    assert titles(posted) == Counter(["Kuril Islands dispute"])
    assert answered(callbacks) == Counter([interaction["id"]])
    assert [r.status for r in fake.failed_requests] == [429, 429]
    # Both went out at once, in either order; each was refused once, then sent as it was.
    assert sorted(map(canonical, (r.body for r in fake.failed_requests))) == sorted(
        map(canonical, (posted[0].body, callbacks[0].body))
    )
    assert waited >= 0.5
    # Replies go through discord.py's HTTP client, interaction callbacks through its
    # webhook adapter: each waited out its 429 once.
    assert caplog.text.count("We are being rate limited. POST") == 1
    assert caplog.text.count("is rate limited. Retrying in 0.50 seconds.") == 1


@pytest.mark.parametrize(("on_messages", "on_callback"), [(502, 503), (504, 500)])
@pytest.mark.slow
async def test_server_errors_are_retried_and_the_replies_arrive_once(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    on_messages: int,
    on_callback: int,
) -> None:
    fake = fake_discord
    async with diplobot(fake, tmp_path, caplog):
        # discord.py retries a reply after 1 s, 3 s, ... (a 503 only on the callback).
        fake.fail_next(on_messages, count=1, path=MESSAGES)
        fake.fail_next(on_callback, count=1, path=CALLBACK)
        await fake.send_message("!dispute kuril")
        await fake.send_message("!about iturup", author=person("bob"))
        interaction = await fake.send_interaction(WHO)
        callbacks = await replies(fake, CALLBACK, 1)
        posted = await replies(fake, MESSAGES, 2)
    assert titles(posted) == Counter(["Kuril Islands dispute", "Iturup"])
    assert answered(callbacks) == Counter([interaction["id"]])
    statuses = Counter(r.status for r in fake.failed_requests)
    assert statuses == Counter({on_messages: 1, on_callback: 1})
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.slow
async def test_a_server_error_outlasting_the_retries_loses_one_reply_and_nothing_else(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_discord

    def logged() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.levelno >= logging.WARNING]

    def posted_in_channel() -> list[RecordedRequest]:
        return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]

    async with diplobot(fake, tmp_path, caplog):
        # discord.py does not retry a 503 on a reply: it is lost at once.
        fake.fail_next(503, path=MESSAGES)
        await fake.send_message("!dispute kuril")
        await eventually(lambda: len(logged()) == 1, "log line for the reply lost to a 503")
        # Five 502s outlast its five tries (sleeping 1 + 3 + 5 + 7 + 9 s).
        fake.fail_next(502, count=5, path=MESSAGES)
        await fake.send_message("!about iturup")
        # Meanwhile a slash command, on another route, is answered as usual.
        interaction = await fake.send_interaction(WHO)
        callbacks = await replies(fake, CALLBACK, 1)
        await eventually(lambda: len(logged()) == 2, "log line for the reply lost to 502s", 35)
        assert [r.status for r in fake.failed_requests] == [503, 502, 502, 502, 502, 502]
        # Nothing was sent in place of the lost replies.
        assert [r.body.get("content") for r in posted_in_channel()] == []
        # The next command is answered normally.
        await fake.send_message("!dispute kuril", author=person("bob"))
        posted = await replies(fake, MESSAGES, 1)
    assert titles(posted) == Counter(["Kuril Islands dispute"])
    assert answered(callbacks) == Counter([interaction["id"]])
    assert [(r.levelname, r.exc_info) for r in logged()] == [("WARNING", None)] * 2
    lines = [r.getMessage() for r in logged()]
    assert all("\n" not in line for line in lines)
    assert "!dispute" in lines[0] and "503 Service Unavailable" in lines[0]
    assert "!about" in lines[1] and "502 Bad Gateway" in lines[1]
