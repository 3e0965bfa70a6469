"""Helpers shared by the Discord-layer tests: catalog builders and limit checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.answers.catalog import EntityRecord
from bot.chat.bot import DiploBot
from bot.config import Settings
from bot.core.answer import EntityRef, FactView, SourceRef
from bot.library import Library
from bot.store.db import Store

SETTINGS = Settings.from_mapping({"DATABASE_URL": "sqlite:///:memory:"})


class Shelf(Library):
    """A real `Library` over a copy of the seeded store, which records whether it was closed."""

    closed = False

    @classmethod
    def copy_of(cls, seeded: Library, path: Path) -> Shelf:
        """seeded's SQLite store copied to path, and opened there."""
        source = sqlite3.connect(seeded.store.engine.url.database or "")
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return cls(Store.open(f"sqlite:///{path}", migrate=False))

    def close(self) -> None:
        super().close()
        self.closed = True


@dataclass
class World:
    """The arranged Discord world: one guild, a channel, the owner and a member."""

    env: simcord.Env
    bot: DiploBot
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    alice: simcord.MemberActor
    bob: simcord.MemberActor

    def bot_messages(self) -> list[discord.Message]:
        """Everything the bot has posted in the channel, oldest first."""
        return [m for m in self.channel.history() if m.author.id == self.bot.user.id]  # type: ignore[union-attr]

    def last(self) -> discord.Message:
        """The bot's latest message in the channel."""
        return self.bot_messages()[-1]


def entity(key: str, kind: str, name: str, summary: str = "", **links: Any) -> EntityRecord:
    """An entity record for hand-built catalogs."""
    return EntityRecord(EntityRef(key, kind, name, summary), **links)


def fact(
    key: str,
    text: str,
    about: Sequence[EntityRecord],
    sources: Sequence[SourceRef],
    date: str | None = "2024-03",
) -> FactView:
    """A fact for hand-built catalogs."""
    return FactView(key, text, date, tuple(sources), tuple(record.ref for record in about))


def embed_sizes(embed: discord.Embed) -> dict[str, int]:
    """The size of every limited part of an embed, for asserting Discord's limits."""
    return {
        "title": len(embed.title or ""),
        "description": len(embed.description or ""),
        "fields": len(embed.fields),
        "field name": max((len(f.name or "") for f in embed.fields), default=0),
        "field value": max((len(f.value or "") for f in embed.fields), default=0),
        "footer": len(embed.footer.text or ""),
        "total": len(embed),
    }


LIMITS = {  # Discord's published limits, written out apart from bot.chat.limits on purpose
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field name": 256,
    "field value": 1024,
    "footer": 2048,
    "total": 6000,
}


def assert_within_limits(embed: discord.Embed) -> None:
    """Fail naming every part of ``embed`` that is over Discord's limit."""
    sizes = embed_sizes(embed)
    over = {part: size for part, size in sizes.items() if size > LIMITS[part]}
    assert not over, f"over Discord's limits: {over}"


def buttons(message: discord.Message) -> list[discord.Button]:
    """A message's buttons, in order."""
    return [
        child
        for row in message.components
        if isinstance(row, discord.ActionRow)
        for child in row.children
        if isinstance(child, discord.Button)
    ]


def labels(message: discord.Message) -> list[str]:
    """The labels of a message's buttons, in order."""
    return [button.label or "" for button in buttons(message)]


def enabled(message: discord.Message, label: str) -> bool:
    """Whether the message has a button with this label that can be pressed."""
    return any(button.label == label and not button.disabled for button in buttons(message))
