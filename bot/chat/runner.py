"""``diplobot run``: start the bot, keep it running, and stop it cleanly.

Start-up problems a person can fix (no token, a token Discord rejects) end in
one clear line on standard error and exit status 2. The token is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

import aiohttp
import discord

from bot.chat.bot import default_intents, describe_shards, make_bot
from bot.config import Settings
from bot.errors import EXIT_USAGE
from bot.library import Library

NO_TOKEN = (
    "diplobot: no Discord bot token. Set DISCORD_TOKEN in the environment or in .env "
    "(Discord Developer Portal → your application → Bot → Reset Token)."
)
BAD_TOKEN = (
    "diplobot: Discord rejected the token in DISCORD_TOKEN. Copy a fresh one from the "
    "Discord Developer Portal (your application → Bot → Reset Token) and try again."
)
MESSAGE_CONTENT_REFUSED = (
    "Discord refused the Message Content intent, so prefix commands such as !who are off "
    "(slash commands and @mentions still work). To turn them on: Discord Developer Portal "
    "→ your application → Bot → Privileged Gateway Intents → enable Message Content "
    "Intent, then restart diplobot."
)

INTENTS_REFUSED = (
    "diplobot: Discord refused the gateway intents diplobot asks for. In the Discord "
    "Developer Portal → your application → Bot, check Privileged Gateway Intents."
)

log = logging.getLogger(__name__)


def run_bot(settings: Settings) -> int:
    """Run the bot until SIGINT or SIGTERM; the process exit status."""
    token = settings.discord_token
    if not token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_USAGE
    setup_logging(settings.log_level)
    try:
        asyncio.run(_open_and_serve(settings, token))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return EXIT_USAGE
    except discord.PrivilegedIntentsRequired:
        print(INTENTS_REFUSED, file=sys.stderr)
        return EXIT_USAGE
    except (aiohttp.ClientError, OSError) as error:
        print(f"diplobot: could not reach Discord ({error}). Check the network.", file=sys.stderr)
        return 1
    return 0


def setup_logging(level: str) -> None:
    """Send all logging through discord.py's handler at ``level``."""
    discord.utils.setup_logging(level=logging.getLevelNamesMapping()[level], root=True)


async def _open_and_serve(settings: Settings, token: str) -> None:
    library = await asyncio.to_thread(Library.open, settings)
    await serve(library, settings, token)


async def serve(library: Library, settings: Settings, token: str) -> None:
    """Run the bot until it is closed or the process gets SIGINT or SIGTERM, then close
    ``library``.

    With ``SHARD_COUNT`` set the bot runs the shards ``SHARD_IDS`` names (`make_bot`).
    When Discord refuses the message-content intent the bot says how to grant it and
    reconnects without it, so slash commands keep working.
    """
    intents = default_intents()
    log.info("this process runs %s", describe_shards(settings))
    try:
        while True:
            bot = make_bot(library, settings, intents=intents)
            try:
                with _closed_on_signals(bot):
                    async with bot:
                        await bot.start(token)
                return
            except discord.PrivilegedIntentsRequired:
                if not intents.message_content:
                    raise
                log.warning(MESSAGE_CONTENT_REFUSED)
                intents = default_intents(message_content=False)
    finally:
        await asyncio.to_thread(library.close)


@contextlib.contextmanager
def _closed_on_signals(bot: discord.Client) -> Iterator[None]:
    """Close ``bot`` (and so its gateway connection) on SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        log.info("shutting down")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        loop.add_signal_handler(number, close)
    try:
        yield
    finally:
        for number in signals:
            loop.remove_signal_handler(number)
