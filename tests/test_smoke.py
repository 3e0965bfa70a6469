"""End to end over real sockets: the unmodified bot against the loopback fake of Discord.

The bot logs in (READY, GUILD_CREATE), answers ``!dispute kuril`` typed in a
channel by posting the dispute's embed, and answers a ``/who`` interaction.
Run with ``-s`` to see the transcript.
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

from bot.chat.runner import serve
from bot.config import Settings
from bot.library import Library
from tests.fake_discord import FAKE_TOKEN, FakeDiscord, chat_input


def show(direction: str, payload: Any) -> None:
    print(f"{direction} {json.dumps(payload, ensure_ascii=False)}")


async def test_the_bot_answers_a_message_and_an_interaction_over_real_sockets(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = Settings.from_mapping(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.db'}", "DISCORD_TOKEN": FAKE_TOKEN}
    )
    library = await asyncio.to_thread(Library.open, settings)
    running = asyncio.create_task(serve(library, settings, FAKE_TOKEN))
    try:
        await fake_discord.wait_until_connected()
        assert fake_discord.identify is not None
        assert fake_discord.identify["token"] == FAKE_TOKEN

        show(">> MESSAGE_CREATE", {"content": "!dispute kuril"})
        await fake_discord.send_message("!dispute kuril")
        posted = await fake_discord.wait_for_request("POST", r"/channels/\d+/messages")
        show("<< POST /channels/{id}/messages", posted.body)
        embed = posted.body["embeds"][0]
        assert embed["title"] == "Kuril Islands dispute"
        fields = {field["name"]: field["value"] for field in embed["fields"]}
        assert "Russia" in fields["Parties"] and "Japan" in fields["Parties"]
        assert "Iturup" in fields["Disputed areas"]
        assert "Russia warns Japan on missile transfer" in fields["Sources"]
        assert posted.body["allowed_mentions"] == {"parse": []}

        interaction = chat_input("who", {"name": "nozdrev"})
        show(">> INTERACTION_CREATE", interaction)
        await fake_discord.send_interaction(interaction)
        callback = await fake_discord.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
        show("<< POST /interactions/{id}/{token}/callback", callback.body)
        assert callback.body["type"] == 4
        card = callback.body["data"]["embeds"][0]
        assert card["title"] == "Nikolai Nozdrev"
        assert "2024-03" in card["description"]
        assert callback.body["data"]["allowed_mentions"] == {"parse": []}
        assert fake_discord.unknown_requests == []
    finally:
        signal.raise_signal(signal.SIGTERM)
        await asyncio.wait_for(running, 10)
