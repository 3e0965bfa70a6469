"""A burst of lookups from fifty people while a curator imports a large file.

What is proven, through discord.py's real pipeline (SimCord):

- 1,000 prefix lookups from 50 members (20 each, a mix of commands, names,
  misspellings and names nobody stored) arrive as one burst while a curator's
  import of 3,000 entities and 3,000 facts runs in the bot's worker thread;
- every lookup gets exactly one response: an answer, or, over the per-user
  cooldown (`COOLDOWN_RATE` per `COOLDOWN_PER` seconds, the real constants),
  one "slow down" notice per burst and a ⏳ reaction after that. Each member
  gets exactly `COOLDOWN_RATE` answers, whatever the other 49 do;
- the slash form counts against the same limit;
- lookups are answered while the import is still running (the import does not
  hold the event loop), the import completes, and its entities are answered
  afterwards;
- nothing the bot sends can ping anyone;
- memory is flat: a second identical burst does not grow the process's RSS by
  more than `RSS_GROWTH_MAX` (``-s`` prints RSS and lookup latencies).

The burst is posted straight to SimCord's backend (one message each, as the
gateway would deliver them) so that all 1,000 are in flight in the bot at once;
SimCord's actors settle after every action and cannot overlap.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
import yaml
from discord.ext import commands

from bot.chat.bot import DiploBot
from bot.chat.lookup import COOLDOWN_PER, COOLDOWN_RATE
from bot.config import Settings
from bot.curation.file_ops import IMPORT_MAX_BYTES
from bot.library import Library

USERS = 50
PER_USER = 20
NEW_ENTITIES = 3000
"""Entities in the imported file, and as many facts (one each), citing one new source."""
LIFTED = COOLDOWN_PER + 1
"""Seconds after which a burst's cooldowns have lifted. Not exactly `COOLDOWN_PER`: at that
very instant discord.py computes a wait of 0 s and lets every lookup through."""
RSS_GROWTH_MAX = 50 * 2**20
"""How much a second identical burst may grow the process (bytes): generous on purpose."""
CREATES = re.compile(r"^(/channels/\d+/messages|/interactions/\d+/[^/]+/callback|/webhooks/.+)$")
"""The requests that post something (as in test_bot.py)."""
SETTLE_WITHIN = 50.0
"""Seconds the whole burst and the import may take before the test fails (2 shared cores)."""

LOOKUPS = [
    "!who nozdrev",
    "!who nozdryov",
    "!who nozdrv",  # a misspelling
    "!who Ноздрёв",
    "!about japan",
    "!about japn",  # a misspelling
    "!about atlantis",  # nobody stored
    "!dispute kuril",
    "!dispute kurils",
    "!timeline japan",
    "!timeline japan russia",
    "!who zorblax quentin",  # nobody stored
    "!about patriot",
    "!dispute moon base",  # nobody stored
    "!who white house",
    "!about ukraine",
    "!timeline russia",
    "!about united states",
    "!who nikolay nozdryov",
    "!dispute kuril islands",
]
"""What each member types, in this order (20 lookups, 4 of them names that are not stored)."""


# ---------------------------------------------------------------------------
# The file the curator imports: deterministic, well-formed, far below the limit.

SYLLABLES = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]  # 65 syllables


def word(number: int, syllables: int) -> str:
    """A made-up word for ``number``: its digits in base 65, one syllable each."""
    parts = []
    for _ in range(syllables):
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def new_name(number: int) -> str:
    """The name of imported person ``number``: unique because the surname is."""
    return f"{word(number * 7 + 3, 2)} {word(number, 3)}ov"


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def large_import(count: int = NEW_ENTITIES) -> bytes:
    """An import file of ``count`` people and one fact about each, citing one new source."""
    source = "load-test-wire-2026-01-01"
    document = {
        "sources": [{"key": source, "title": "Envoys named in a long wire report"}],
        "entities": [
            {
                "key": slug(new_name(n)),
                "kind": "person",
                "name": new_name(n),
                "summary": f"Envoy number {n} in the wire report.",
                "aliases": [word(n, 3) + "ov"],
            }
            for n in range(count)
        ],
        "facts": [
            {
                "key": f"load-envoy-{n:05d}-named",
                "text": f"{new_name(n)} was named envoy number {n} in the wire report.",
                "date": "2026-01",
                "about": [{"entity": slug(new_name(n)), "role": "actor"}],
                "source": source,
            }
            for n in range(count)
        ],
    }
    data = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    assert len(data) < IMPORT_MAX_BYTES
    return data


# ---------------------------------------------------------------------------
# The world: one channel per member, so what each member saw can be counted.


@dataclass
class Crowd:
    env: simcord.Env
    bot: DiploBot
    library: Library
    guild: simcord.GuildHandle
    curator: simcord.MemberActor
    desk: simcord.ChannelHandle
    members: list[simcord.MemberActor]
    rooms: list[simcord.ChannelHandle]
    """``rooms[i]`` is where ``members[i]`` asks."""
    answered: dict[int, float] = field(default_factory=dict)
    """Message id -> when its lookup had been answered (perf_counter)."""
    refused: set[int] = field(default_factory=set)
    """Ids of the messages refused for the cooldown."""
    asked_by: dict[int, int] = field(default_factory=dict)
    """Message id -> the member who asked."""


@pytest.fixture
def own_library(tmp_path: Path) -> Iterator[Library]:
    """A seeded store of this test's own, which the import changes."""
    opened = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}"}))
    yield opened
    opened.close()


@pytest.fixture
def simcord_bot(own_library: Library) -> DiploBot:
    return DiploBot(own_library, Settings.from_mapping({"DATABASE_URL": "sqlite://"}))


@pytest.fixture
async def crowd(simcord_env: simcord.Env, own_library: Library) -> Crowd:
    env = simcord_env
    env.settle_timeout = SETTLE_WITHIN
    bot = env.bot
    assert isinstance(bot, DiploBot)
    guild = env.create_guild("Diplomacy")
    desk = guild.create_text_channel("curation")
    curator = guild.add_member(env.create_user("curator"))
    members = [guild.add_member(env.create_user(f"reader{n:02d}")) for n in range(USERS)]
    rooms = [guild.create_text_channel(f"room-{n:02d}") for n in range(USERS)]
    bot.settings = bot.settings.model_copy(update={"curator_user_ids": frozenset({curator.id})})
    await bot.tree.sync()
    found = Crowd(env, bot, own_library, guild, curator, desk, members, rooms)

    async def completed(ctx: commands.Context[Any]) -> None:
        found.answered[ctx.message.id] = time.perf_counter()

    async def failed(ctx: commands.Context[Any], error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandOnCooldown):
            found.refused.add(ctx.message.id)

    bot.add_listener(completed, "on_command_completion")
    bot.add_listener(failed, "on_command_error")
    return found


def post_burst(crowd: Crowd) -> dict[int, float]:
    """Deliver every member's 20 lookups, interleaved (member 0's first, member 1's
    first, ...), without waiting for answers; message id -> when it was posted."""
    posted: dict[int, float] = {}
    for typed in LOOKUPS:
        for member, room in zip(crowd.members, crowd.rooms, strict=True):
            message = crowd.env.backend.create_message(room.id, member.id, typed)
            posted[message.id] = time.perf_counter()
            crowd.asked_by[message.id] = member.id
    return posted


def rss() -> int:
    """The resident set size of this process in bytes, after a full collection."""
    gc.collect()
    try:
        psutil = importlib.import_module("psutil")
    except ImportError:  # not a dependency: read Linux's own account
        status = Path("/proc/self/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024
    return int(psutil.Process().memory_info().rss)


def latencies(crowd: Crowd, posted: dict[int, float]) -> str:
    waits = sorted(crowd.answered[m] - posted[m] for m in posted if m in crowd.answered)
    cuts = statistics.quantiles(waits, n=100, method="inclusive")
    return (
        f"{len(waits)} answered: p50 {cuts[49] * 1000:,.0f} ms, "
        f"p95 {cuts[94] * 1000:,.0f} ms, max {waits[-1] * 1000:,.0f} ms"
    )


def check_burst(crowd: Crowd, posted: dict[int, float]) -> None:
    """Every lookup of the burst got exactly one response, and the cooldown held per member."""
    ids = set(posted)
    answered, refused = ids & set(crowd.answered), ids & crowd.refused
    assert not answered & refused, "a lookup was both answered and refused"
    assert answered | refused == ids, f"{len(ids - answered - refused)} lookups got no response"
    unexpected = [e for e in crowd.env.errors if not isinstance(e, commands.CommandOnCooldown)]
    assert not unexpected, unexpected[:3]
    per_member = Counter(crowd.asked_by[m] for m in answered)
    unfair = {m.name: per_member[m.id] for m in crowd.members if per_member[m.id] != COOLDOWN_RATE}
    assert not unfair, f"answers per member, where the cooldown allows {COOLDOWN_RATE}: {unfair}"
    for member, room in zip(crowd.members, crowd.rooms, strict=True):
        seen = [m for m in room.history() if m.id >= min(ids)]
        mine = [m for m in seen if m.author.id == member.id]
        bots = [m for m in seen if m.author.id == crowd.bot.user.id]  # type: ignore[union-attr]
        waited = [m for m in mine if [str(r.emoji) for r in m.reactions] == ["⏳"]]
        notices = [m for m in bots if m.content.startswith("Slow down a little")]
        answers = [m for m in bots if m not in notices]
        assert len(mine) == PER_USER
        assert len(answers) == COOLDOWN_RATE, f"{member.name}: {len(answers)} answers"
        assert len(notices) == 1, f"{member.name}: {len(notices)} slow-down notices"
        assert len(waited) == PER_USER - COOLDOWN_RATE - 1, f"{member.name}: {len(waited)} ⏳"


async def test_a_burst_of_lookups_during_a_large_import_is_answered_fairly_and_memory_stays_flat(
    crowd: Crowd,
) -> None:
    env = crowd.env
    data = large_import()
    await crowd.curator.send(crowd.desk, "!curate import", attachments=[("wire.yaml", data)])
    preview = crowd.desk.last_message
    assert preview is not None and preview.embeds, preview
    assert preview.embeds[0].title == "Import wire.yaml?"
    newest = slug(new_name(NEW_ENTITIES - 1))
    assert newest not in crowd.library.catalog.entities

    shown: list[float] = []

    async def edited(payload: discord.RawMessageUpdateEvent) -> None:
        # The click is answered at once (buttons greyed out); the import's result then
        # replaces the preview.
        titles = [embed.get("title", "") for embed in payload.data.get("embeds", [])]
        if payload.message_id == preview.id and any(t.startswith("Imported") for t in titles):
            shown.append(time.perf_counter())

    crowd.bot.add_listener(edited, "on_raw_message_edit")
    before = rss()
    importing = asyncio.create_task(crowd.curator.click(preview, label="Import"))
    await asyncio.sleep(0.05)  # the click is dispatched; the import runs in its thread
    started = time.perf_counter()
    posted = post_burst(crowd)
    await asyncio.wait_for(importing, SETTLE_WITHIN)
    after_first = rss()
    done = crowd.desk.last_message
    assert done is not None and (done.embeds[0].title or "").startswith("Imported wire.yaml"), done
    assert newest in crowd.library.catalog.entities
    check_burst(crowd, posted)
    assert shown, "the curator never saw the import's result"
    early = [m for m in posted if crowd.answered.get(m, shown[0]) < shown[0]]
    print(
        f"\nburst during the import: {latencies(crowd, posted)}; {len(early)} of them before "
        f"the import was done ({shown[0] - started:.1f} s after the burst began)"
    )
    assert early, "no lookup was answered while the import ran: it held the event loop"

    # The slash twins count against the same limit: every member has had their five.
    twin = await crowd.members[0].slash(crowd.rooms[0], "timeline", name="japan")
    assert twin.ephemeral and twin.response is not None
    assert twin.response.content.startswith("Slow down a little"), twin.response.content

    await env.advance_time(LIFTED)  # everyone's cooldown lifts
    for n in (0, NEW_ENTITIES // 2, NEW_ENTITIES - 1):
        await crowd.members[n % USERS].send(crowd.rooms[n % USERS], f"!who {new_name(n)}")
        answer = crowd.rooms[n % USERS].last_message
        assert answer is not None and answer.embeds, answer
        assert answer.embeds[0].title == new_name(n)

    await env.advance_time(LIFTED)
    posted = post_burst(crowd)
    await env.settle()
    after_second = rss()
    check_burst(crowd, posted)
    print(f"burst without an import: {latencies(crowd, posted)}")
    print(
        f"RSS before {before / 2**20:,.1f} MiB, after the first burst and the import "
        f"{after_first / 2**20:,.1f} MiB, after a second burst {after_second / 2**20:,.1f} MiB"
    )
    assert after_second - after_first < RSS_GROWTH_MAX

    sent = [
        r.json.get("data", r.json)
        for r in env.http_requests
        if r.method == "POST" and CREATES.match(r.path) and isinstance(r.json, dict)
    ]
    assert len(sent) > 2 * USERS * (COOLDOWN_RATE + 1)
    pinging = [body for body in sent if body.get("allowed_mentions") != {"parse": []}]
    assert not pinging, pinging[:3]
