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
from datetime import UTC, datetime, timedelta
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
"""Seconds between looks at whether the catalog has moved on and there is something to post."""
IDLE_LOOK = timedelta(minutes=1)
"""How often the poster looks even when nothing changed: daily digests come due."""
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
        self._handled = -1
        """The catalog revision the last look covered; -1 before the first."""
        self._looked = datetime.min.replace(tzinfo=UTC)
        self._woken = False

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

    def wake(self) -> None:
        """Look at the next turn of the loop even if the store has not changed (a follow
        was made or resumed here)."""
        self._woken = True

    async def _tick_quietly(self) -> None:
        """One turn of the loop: a look when the catalog has moved on (the store check and
        PostgreSQL notifications keep it current), when woken, and once a minute for daily
        digests; otherwise nothing, not even a query."""
        library = self.bot.library
        now = self.courier.clock()
        if not (self._woken or library.seen != self._handled or now - self._looked >= IDLE_LOOK):
            return
        self._woken = False
        try:
            await self.look()
        except (DiplobotError, SQLAlchemyError) as error:
            log.warning("could not post followed facts: %s", error)

    async def tick(self) -> int:
        """Catch up with the store now, then `look`; the messages sent."""
        await asyncio.to_thread(self.bot.library.refresh)
        return await self.look()

    async def look(self) -> int:
        """Send whatever is due for what the catalog has read; the messages sent."""
        library = self.bot.library
        self._handled, self._looked = library.seen, self.courier.clock()
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
