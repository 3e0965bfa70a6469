"""One diplobot process for the follow tests: the unmodified bot, with its own loopback
fake of Discord, on the store ``DATABASE_URL`` names.

Run as ``python -m tests.chat.follow_process``. It prints ``ready GUILD CHANNEL`` once
the bot is connected, then one JSON line per message the bot posts in the fake's
channel (``{"at": epoch seconds, "title": …, "description": …}``), until it is
terminated. Every fake uses the same server and channel ids, so two of these processes
both hold the same server: the worst case for posting each change once.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

from bot.chat.bot import DiploBot
from bot.config import Settings
from bot.library import Library
from tests.fake_discord import FakeDiscord, pointed_at, running


async def main() -> None:
    settings = Settings.from_mapping(dict(os.environ))
    fake = FakeDiscord()
    await fake.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    library = await asyncio.to_thread(Library.open, settings)
    try:
        with pointed_at(fake):
            bot = DiploBot(library, settings)
            async with running(bot, fake, timeout=30):
                print("ready", fake.guild_id, fake.channel_id, flush=True)
                watching = asyncio.create_task(report(fake))
                await stop.wait()
                watching.cancel()
    finally:
        await asyncio.to_thread(library.close)
        await fake.stop()


async def report(fake: FakeDiscord) -> None:
    """Print each message the bot posts in the channel, with when it arrived."""
    path = rf"/channels/{fake.channel_id}/messages"
    while True:
        try:
            request = await fake.wait_for_request("POST", path, timeout=3600)
        except TimeoutError:
            continue
        embed = (request.body.get("embeds") or [{}])[0]
        line = {
            "at": time.time(),
            "title": embed.get("title"),
            "description": embed.get("description"),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
