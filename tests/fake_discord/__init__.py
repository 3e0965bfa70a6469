"""Test harness: a fake Discord (REST + gateway) for driving an unmodified discord.py bot.

* :class:`FakeDiscord` - the server (see :mod:`.server` for what is and isn't faked).
* :func:`pointed_at` - context manager pointing discord.py at a running fake.
* :func:`running` - async context manager running ``bot.start()`` until it is connected.
* ``fake_discord`` - pytest fixture: a started fake with discord.py pointed at it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import discord
import discord.gateway
import discord.http
import pytest_asyncio
import yarl

from .server import API_PREFIX, FakeDiscord, RecordedRequest, chat_input

__all__ = [
    "API_PREFIX",
    "FAKE_TOKEN",
    "FakeDiscord",
    "RecordedRequest",
    "chat_input",
    "fake_discord",
    "pointed_at",
    "running",
]

FAKE_TOKEN = "ZmFrZQ.fake-token.for-tests"


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py at ``fake`` and restore the real endpoints afterwards.

    discord.py offers no base-URL option: every REST URL is ``Route.BASE + path``
    (webhooks/interactions included), and a non-sharded ``Client`` opens its first
    gateway connection on ``DiscordWebSocket.DEFAULT_GATEWAY`` without asking
    ``/gateway/bot`` (later resumes use READY's ``resume_gateway_url``). Both are
    class attributes read at call time, so patching them covers existing clients.
    """
    ws_cls = discord.gateway.DiscordWebSocket
    old_base, old_gateway = discord.http.Route.BASE, ws_cls.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_url
    ws_cls.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE, ws_cls.DEFAULT_GATEWAY = old_base, old_gateway


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord` with discord.py pointed at it; stopped afterwards."""
    fake = FakeDiscord()
    await fake.start()
    try:
        with pointed_at(fake):
            yield fake
    finally:
        await fake.stop()


@contextlib.asynccontextmanager
async def running(
    bot: discord.Client,
    fake: FakeDiscord,
    *,
    token: str = FAKE_TOKEN,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> AsyncIterator[None]:
    """Run ``bot.start(token)`` until the fake has sent READY + GUILD_CREATE; on
    exit ``bot.close()`` and await the task. Login errors surface here, not as a hang."""
    task = asyncio.create_task(bot.start(token))
    connected = asyncio.create_task(fake.wait_until_connected(timeout))
    try:
        await asyncio.wait({task, connected}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # raises the login/connect error
            raise RuntimeError("bot.start() returned before connecting to the fake")
        connected.result()  # raises TimeoutError if the bot never identified
        yield
    finally:
        connected.cancel()
        await asyncio.wait_for(bot.close(), timeout)
        await asyncio.wait_for(task, timeout)
