"""An article drafted and reviewed over real sockets: the unmodified bot, logged in to the
loopback fake of Discord, drafts a page served on 127.0.0.1 (`!curate article URL`),
posts the review, and answers its buttons, which it knows only by their custom ids.

The whole workflow (edit, import, undo, restart) runs through SimCord in
tests/chat/curate/test_article.py; this shows the same buttons over the wire.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.chat.runner import serve
from bot.config import Settings
from bot.library import Library
from bot.store import drafts
from tests.fake_discord import FAKE_TOKEN, FakeDiscord

ARTICLE = Path(__file__).resolve().parent / "chat" / "curate" / "article.html"


@pytest.fixture
async def page() -> AsyncIterator[str]:
    async def article(_: web.Request) -> web.Response:
        return web.Response(body=ARTICLE.read_bytes(), content_type="text/html")

    app = web.Application()
    app.router.add_get("/news/talks.html", article)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/news/talks.html"
    await runner.cleanup()


def button_ids(body: dict[str, Any]) -> dict[str, str]:
    """The buttons under a message, by label."""
    return {
        button["label"]: button["custom_id"]
        for row in body.get("components") or []
        for button in row["components"]
    }


async def test_a_curator_drafts_an_article_and_presses_its_buttons_over_real_sockets(
    fake_discord: FakeDiscord, tmp_path: Path, page: str
) -> None:
    settings = Settings.from_mapping(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.db'}",
            "DISCORD_TOKEN": FAKE_TOKEN,
            "CURATOR_USER_IDS": fake_discord.human_user["id"],
            "DRAFT_ALLOW_PRIVATE_URLS": "1",
        }
    )
    library = await asyncio.to_thread(Library.open, settings)
    running = asyncio.create_task(serve(library, settings, FAKE_TOKEN))
    try:
        await fake_discord.wait_until_connected()
        await fake_discord.send_message(f"!curate article {page}")
        posted = await fake_discord.wait_for_request("POST", r"/channels/\d+/messages", timeout=30)
        assert posted.body["allowed_mentions"] == {"parse": []}
        buttons = button_ids(posted.body)
        number = int(buttons["Import selected"].split(":")[1])
        draft = await asyncio.to_thread(drafts.load, library.store, number)
        assert draft.owner_id == fake_discord.human_user["id"]
        assert all(draft.kept)

        await fake_discord.press(posted.body, buttons["Drop 1"])
        update = await fake_discord.wait_for_request(
            "POST", r"/interactions/\d+/[^/]+/callback", timeout=30
        )
        assert update.body["type"] == 7  # the review redrawn in place
        assert "Keep 1" in button_ids(update.body["data"])
        draft = await asyncio.to_thread(drafts.load, library.store, number)
        assert draft.kept[0] is False and all(draft.kept[1:])
        assert fake_discord.unknown_requests == []
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(running, 10)
