"""Posting followed facts into their channels: the Discord side of `bot.follows.delivery`.

Every `FOLLOW_CHECK` seconds the poster catches the catalog up with the store, asks
the `Courier` what is due in the servers this process holds (its shards' servers),
claims each post and sends it, drawn by the same renderer as every answer. A channel
that is gone, or where the bot may not send, pauses its follows (logged, and shown
by ``/following``) without claiming anything, so nothing is lost when it resumes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import tasks
from discord.utils import escape_markdown
from sqlalchemy.exc import SQLAlchemyError

from bot.chat.embeds import render
from bot.core.answer import Answer
from bot.errors import DiplobotError
from bot.follows.delivery import Clock, Courier, Post
from bot.store import follows as stored

if TYPE_CHECKING:
    from bot.chat.bot import DiploBot

log = logging.getLogger(__name__)

FOLLOW_CHECK = 1.0
"""Seconds between looks for changes to post: well within the 5 s a post may take."""
GONE = "the channel was deleted"
MUTED = "diplobot may not send messages there"


class FollowPoster:
    """Sends the posts of followed channels for one bot, from a loop of its own."""

    def __init__(
        self, bot: DiploBot, *, clock: Clock, interval: float | None = FOLLOW_CHECK
    ) -> None:
        self.bot = bot
        self.courier = Courier(bot.library, digest_hour=bot.settings.digest_hour, clock=clock)
        self.interval = interval
        self._loop: tasks.Loop[Any] | None = None

    def start(self) -> None:
        """Begin looking every `interval` seconds, until `stop` (never when it is None)."""
        if self._loop is None and self.interval is not None:
            self._loop = tasks.loop(seconds=self.interval)(self._tick_quietly)
            self._loop.before_loop(self.bot.wait_until_ready)
            self._loop.start()

    def stop(self) -> None:
        """Stop looking (a post being sent is cut short)."""
        if self._loop is not None:
            self._loop.cancel()
            self._loop = None

    async def _tick_quietly(self) -> None:
        try:
            await self.tick()
        except (DiplobotError, SQLAlchemyError) as error:
            log.warning("could not post followed facts: %s", error)

    async def tick(self) -> int:
        """Catch up with the store and send whatever is due now; the posts sent."""
        library = self.bot.library
        await asyncio.to_thread(library.refresh)
        guilds = [guild.id for guild in self.bot.guilds if not guild.unavailable]
        if not guilds:
            return 0
        due = await asyncio.to_thread(self.courier.due, guilds, seen=library.seen)
        sent = 0
        for post in due:
            sent += await self.deliver(post)
        return sent

    async def deliver(self, post: Post) -> int:
        """Claim post and send it; how many messages went out. A channel it cannot reach
        pauses the follow instead, and a failed send gives the claim back."""
        channel = self.bot.get_channel(post.channel_id)
        if not isinstance(channel, discord.abc.Messageable) or channel is None:
            await self._pause(post, GONE)
            return 0
        guild = getattr(channel, "guild", None)
        if guild is not None and not channel.permissions_for(guild.me).send_messages:
            await self._pause(post, MUTED)
            return 0
        if not await asyncio.to_thread(self.courier.claim, post):
            return 0  # another process has posted it
        sent = 0
        try:
            for answer in post.answers:
                for page in render(escaped(answer)).pages:
                    await channel.send(embed=page)
                    sent += 1
        except (discord.NotFound, discord.Forbidden) as error:
            await asyncio.to_thread(self.courier.give_back, post)
            await self._pause(post, GONE if isinstance(error, discord.NotFound) else MUTED)
            return sent
        except discord.HTTPException as error:
            await asyncio.to_thread(self.courier.give_back, post)
            log.warning("could not post to channel %s, will retry: %s", post.channel_id, error)
            return sent
        self.courier.sent(post)
        return sent

    async def _pause(self, post: Post, reason: str) -> None:
        follow = post.follow
        log.warning(
            "paused the follow of %s in channel %s (server %s): %s",
            follow.entity_key,
            follow.channel_id,
            follow.guild_id,
            reason,
        )
        await asyncio.to_thread(stored.pause, self.bot.library.store, follow.id, reason)


def escaped(answer: Answer) -> Answer:
    """answer with its facts' text escaped: nobody asked for a post, so nothing curators
    typed becomes markup in it (a masked link, a heading)."""
    facts = tuple(
        dataclasses.replace(fact, text=escape_markdown(fact.text)) for fact in answer.facts
    )
    return dataclasses.replace(answer, facts=facts)
