"""The Discord client: prefix and slash commands over a shared catalog."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord.ext import commands, tasks
from sqlalchemy.exc import SQLAlchemyError

from bot.chat import curate, follow, lookup, views
from bot.chat.draft_review import DraftButton
from bot.chat.errors import DiploTree, reply_to_command_error
from bot.chat.follow_posting import FOLLOW_CHECK, FollowPoster
from bot.chat.locales import Translator
from bot.chat.names_menu import names_context_menu
from bot.chat.owner import Owner
from bot.chat.suggest_review import ReviewButton
from bot.config import Settings
from bot.errors import ConfigError, DiplobotError
from bot.follows.delivery import Clock
from bot.library import Library
from bot.store.models import utcnow

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 180.0
"""Seconds after which an answer's buttons stop working."""
STORE_CHECK = 2.0
"""Seconds between checks for changes made to the store elsewhere (a host import)."""


def default_intents(*, message_content: bool = True) -> discord.Intents:
    """The gateway intents the bot asks for; message content is what prefix commands need."""
    intents = discord.Intents.default()
    intents.message_content = message_content
    return intents


class DiploBot(commands.Bot):
    """diplobot on Discord.

    Lookups read ``library.catalog`` (swapped whole when the store changes); no
    database or network call is made to answer one. Nothing the bot sends can
    ping anyone.
    """

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        intents: discord.Intents | None = None,
        view_timeout: float = VIEW_TIMEOUT,
        cooldown: tuple[int, float] = (lookup.COOLDOWN_RATE, lookup.COOLDOWN_PER),
        store_check: float = STORE_CHECK,
        clock: Clock = utcnow,
        follow_check: float | None = FOLLOW_CHECK,
        **client_options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned_or(settings.command_prefix),
            intents=intents or default_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            case_insensitive=True,
            tree_cls=DiploTree,
            **client_options,
        )
        self.library = library
        self.settings = settings
        self.view_timeout = view_timeout
        self._cooldown = cooldown
        self._store_check = store_check
        self.slowed_down: dict[int, float] = {}
        """Who has been told to slow down, until when (one notice per burst)."""
        self.follow_poster = FollowPoster(self, clock=clock, interval=follow_check)
        """Posts followed facts into their channels every ``follow_check`` seconds (None:
        only when its `tick` is called, for tests); ``clock`` decides when digests are due."""

    async def setup_hook(self) -> None:
        rate, per = self._cooldown
        for command in lookup.build_commands(rate=rate, per=per):
            self.add_command(command)
        for command in follow.build_commands():
            self.add_command(command)
        by_prefix, by_slash = curate.build(self)
        self.add_command(by_prefix)
        self.tree.add_command(by_slash)
        self.tree.add_command(names_context_menu())
        await self.add_cog(Owner(self))
        await self.tree.set_translator(Translator())
        views.install(self)
        self.add_dynamic_items(DraftButton)  # an article draft's review, across restarts
        self.add_dynamic_items(ReviewButton)  # a suggested correction's Accept and Dismiss
        # Hear other processes' commits at once (PostgreSQL); the periodic check below is
        # the fallback, and all there is on SQLite.
        self.library.watch()
        self._warming = asyncio.create_task(asyncio.to_thread(self.library.warm_up))
        self._watch_store.change_interval(seconds=self._store_check)
        self._watch_store.start()
        self.follow_poster.start()

    async def close(self) -> None:
        self._watch_store.cancel()
        self.follow_poster.stop()
        await super().close()

    @tasks.loop(seconds=STORE_CHECK)
    async def _watch_store(self) -> None:
        """Pick up changes made outside this process, off the event loop."""
        try:
            if await asyncio.to_thread(self.library.refresh):
                log.info("the store changed elsewhere; lookups now read the new version")
        except DiplobotError as error:
            log.warning("could not check the store for changes: %s", error)
        except SQLAlchemyError as error:
            log.warning("could not check the store for changes: %s", error)

    async def on_command_error(
        self, context: commands.Context[Any], exception: commands.CommandError, /
    ) -> None:
        await reply_to_command_error(context, exception)


class ShardedDiploBot(DiploBot, commands.AutoShardedBot):
    """diplobot running some of the gateway's shards: ``SHARD_IDS`` of ``SHARD_COUNT``
    (all of them when ``SHARD_IDS`` is unset). Several processes, each with its own
    shard ids, share the gateway between them; everything else is `DiploBot`'s."""

    def __init__(self, library: Library, settings: Settings, **options: Any) -> None:
        if settings.shard_count is None:
            raise ConfigError("a sharded bot needs SHARD_COUNT")
        ids = list(settings.shard_ids) if settings.shard_ids is not None else None
        super().__init__(
            library, settings, shard_count=settings.shard_count, shard_ids=ids, **options
        )

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s is ready", shard_id, self.shard_count)


def make_bot(library: Library, settings: Settings, **options: Any) -> DiploBot:
    """The bot ``settings`` ask for: a `ShardedDiploBot` when ``SHARD_COUNT`` is set, a
    plain `DiploBot` (one gateway connection) otherwise. ``options`` go to its constructor."""
    if settings.sharded:
        return ShardedDiploBot(library, settings, **options)
    return DiploBot(library, settings, **options)


def describe_shards(settings: Settings) -> str:
    """Which shards a process with ``settings`` runs, in words for the start-up log."""
    if settings.shard_count is None:
        return "one gateway connection (no sharding: SHARD_COUNT is unset)"
    total = settings.shard_count
    if settings.shard_ids is None:
        return f"all {total} shards (SHARD_COUNT={total})" if total > 1 else "shard 0 of 1"
    ids = ", ".join(str(number) for number in settings.shard_ids)
    noun = "shard" if len(settings.shard_ids) == 1 else "shards"
    return f"{noun} {ids} of {total} (SHARD_COUNT={total}, SHARD_IDS={ids.replace(' ', '')})"
