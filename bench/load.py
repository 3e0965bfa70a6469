"""Lookup latency under a burst, with and without a curator's large import running.

    python bench/load.py                      # 50 people x 20 lookups, imports of 3,000 entities
    python bench/load.py --entities 1000      # a quick look
    python bench/load.py --rate 5             # the real cooldown, 5 lookups per person per 10 s

The bot runs in SimCord (discord.py's real pipeline, in process, one event loop),
over a seeded SQLite store in a temporary directory. Each burst is ``--users``
people sending ``--per-user`` lookups (a mix of commands, names, misspellings
and names nobody stored) in waves of one lookup per person, ``--gap`` ms apart.
A lookup's latency runs from its message reaching the bot to the bot's answer
having been sent (discord.py's after-invoke hook).

In one process, so the ratios mean something: a warm-up burst (not reported),
then ``--rounds`` rounds of: a curator's import of ``--entities`` new entities
and as many facts with nothing else running (timed from the Import button to
the result shown), a burst with nothing else running (the baseline), and a
burst while a second import of the same size runs (the button pressed just
before the burst). A last burst runs on the final, largest store. RSS is read
after each step.

Machines are shared and noisy, so compare medians and ratios to the baseline,
not absolute times; the absolute numbers include SimCord's simulation of
Discord. See bench/README.md for the last run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord
import yaml
from discord.ext import commands

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.chat.bot import DiploBot  # noqa: E402
from bot.chat.lookup import COOLDOWN_PER  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.curation.file_ops import IMPORT_MAX_BYTES  # noqa: E402
from bot.library import Library  # noqa: E402

LOOKUPS = (
    "!who nozdrev",
    "!who nozdryov",
    "!who nozdrv",
    "!who Ноздрёв",
    "!about japan",
    "!about japn",
    "!about atlantis",
    "!dispute kuril",
    "!dispute kurils",
    "!timeline japan",
    "!timeline japan russia",
    "!who zorblax quentin",
    "!about patriot",
    "!dispute moon base",
    "!who white house",
    "!about ukraine",
    "!timeline russia",
    "!about united states",
    "!who nikolay nozdryov",
    "!dispute kuril islands",
)
"""What people type, in turn: commands, names, misspellings and names nobody stored."""

LIFTED = COOLDOWN_PER + 1
"""Seconds after which a burst's cooldowns have lifted (at exactly `COOLDOWN_PER`
discord.py computes a wait of 0 s and lets every lookup through)."""

SYLLABLES = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]


# ---------------------------------------------------------------------------
# The import file.


def word(number: int, syllables: int) -> str:
    parts = []
    for _ in range(syllables):
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def person(number: int) -> str:
    return f"{word(number * 7 + 3, 2)} {word(number, 3)}ov"


def import_file(first: int, count: int) -> bytes:
    """People ``first`` .. ``first + count - 1``, one fact each, citing one new source."""
    source = f"load-wire-{first}"
    entities, facts = [], []
    for n in range(first, first + count):
        name = person(n)
        key = name.lower().replace(" ", "-")
        entities.append(
            {
                "key": key,
                "kind": "person",
                "name": name,
                "summary": f"Envoy number {n} in the wire report.",
                "aliases": [word(n, 3) + "ov"],
            }
        )
        facts.append(
            {
                "key": f"load-envoy-{n:06d}-named",
                "text": f"{name} was named envoy number {n} in the wire report.",
                "date": "2026-01",
                "about": [{"entity": key, "role": "actor"}],
                "source": source,
            }
        )
    document = {
        "sources": [{"key": source, "title": f"Envoys named in wire report {first}"}],
        "entities": entities,
        "facts": facts,
    }
    data = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    if len(data) > IMPORT_MAX_BYTES:
        raise SystemExit(f"{count:,} entities make {len(data):,} bytes, over the import limit")
    return data


# ---------------------------------------------------------------------------
# Measuring.


def rss() -> int:
    """Resident set size of this process in bytes, after a full collection."""
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@dataclass
class Clock:
    """When each lookup message was posted, and when its answer had been sent."""

    posted: dict[int, float] = field(default_factory=dict)
    answered: dict[int, float] = field(default_factory=dict)
    refused: set[int] = field(default_factory=set)

    def latencies(self, ids: Sequence[int]) -> list[float]:
        return sorted(self.answered[i] - self.posted[i] for i in ids if i in self.answered)


def percentile(samples: Sequence[float], pct: int) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


@dataclass
class Run:
    env: simcord.Env
    bot: DiploBot
    library: Library
    curator: simcord.MemberActor
    desk: simcord.ChannelHandle
    people: list[simcord.MemberActor]
    rooms: list[simcord.ChannelHandle]
    clock: Clock
    gap: float
    per_user: int

    async def burst(self, *, settle: bool = True) -> list[int]:
        """Post every person's lookups in waves, one per person per wave; the message ids.

        With ``settle``, SimCord waits for the bot while the waves go in, as it does
        (inside the Import click) in the burst during an import, so both pay the same
        for the simulation; then it waits for every answer."""
        ids: list[int] = []
        settling: asyncio.Task[None] | None = None
        for wave in range(self.per_user):
            typed = LOOKUPS[wave % len(LOOKUPS)]
            for member, room in zip(self.people, self.rooms, strict=True):
                message = self.env.backend.create_message(room.id, member.id, typed)
                self.clock.posted[message.id] = time.perf_counter()
                ids.append(message.id)
            if settle and settling is None:
                settling = asyncio.create_task(self.env.settle())
            await asyncio.sleep(self.gap)
        if settling is not None:
            await settling
            await self.env.settle()
        return ids

    async def preview(self, name: str, data: bytes) -> discord.Message:
        await self.curator.send(self.desk, "!curate import", attachments=[(name, data)])
        shown = self.desk.last_message
        if shown is None or not shown.embeds or shown.embeds[0].title != f"Import {name}?":
            raise SystemExit(f"no import preview for {name}: {shown and shown.embeds}")
        return shown

    def imported(self, name: str) -> None:
        done = self.desk.last_message
        title = done.embeds[0].title if done is not None and done.embeds else None
        if not (title or "").startswith(f"Imported {name}"):
            raise SystemExit(f"the import of {name} did not complete: {title!r}")

    async def import_alone(self, name: str, data: bytes) -> float:
        shown = await self.preview(name, data)
        start = time.perf_counter()
        await self.curator.click(shown, label="Import")
        took = time.perf_counter() - start
        self.imported(name)
        return took

    async def burst_during_import(self, name: str, data: bytes) -> tuple[list[int], float, float]:
        """A burst started just after the Import button is pressed; also when it was pressed
        and when the curator's message showed the result (perf_counter)."""
        shown = await self.preview(name, data)
        edited: list[float] = []

        async def on_edit(payload: discord.RawMessageUpdateEvent) -> None:
            # The click is answered at once (buttons greyed out); the result comes after.
            titles = [embed.get("title", "") for embed in payload.data.get("embeds", [])]
            if payload.message_id == shown.id and any(t.startswith("Imported") for t in titles):
                edited.append(time.perf_counter())

        self.bot.add_listener(on_edit, "on_raw_message_edit")
        start = time.perf_counter()
        pressing = asyncio.create_task(self.curator.click(shown, label="Import"))
        await asyncio.sleep(0.05)  # the press is dispatched; the import is in its thread
        ids = await self.burst(settle=False)  # the click is settling meanwhile
        await asyncio.wait_for(pressing, self.env.settle_timeout + 5)
        self.bot.remove_listener(on_edit, "on_raw_message_edit")
        self.imported(name)
        if not edited:
            raise SystemExit("the curator's message never showed the import's result")
        return ids, start, edited[0]


# ---------------------------------------------------------------------------


async def measure(args: argparse.Namespace, workdir: Path) -> None:
    library = Library.open(Settings.from_mapping({"DATABASE_URL": f"sqlite:///{workdir / 'l.db'}"}))
    rate = args.rate or args.per_user
    # Buttons without a timeout: each timer would cost SimCord's settling more than the bot.
    bot = DiploBot(
        library,
        Settings.from_mapping({"DATABASE_URL": "sqlite://"}),
        cooldown=(rate, COOLDOWN_PER),
        view_timeout=None,  # type: ignore[arg-type]
    )
    clock = Clock()

    async def answered(ctx: commands.Context[Any]) -> None:
        clock.answered[ctx.message.id] = time.perf_counter()

    async def failed(ctx: commands.Context[Any], error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandOnCooldown):
            clock.refused.add(ctx.message.id)

    bot.after_invoke(answered)
    bot.add_listener(failed, "on_command_error")

    async with simcord.run(bot, settle_timeout=args.timeout, check_errors=False) as env:
        guild = env.create_guild("Diplomacy")
        desk = guild.create_text_channel("curation")
        curator = guild.add_member(env.create_user("curator"))
        people = [guild.add_member(env.create_user(f"reader{n:03d}")) for n in range(args.users)]
        rooms = [guild.create_text_channel(f"room-{n:03d}") for n in range(args.users)]
        bot.settings = replace(bot.settings, curator_user_ids=frozenset({curator.id}))
        await bot.tree.sync()
        gap = args.gap / 1000
        run = Run(env, bot, library, curator, desk, people, rooms, clock, gap, args.per_user)
        size = len(import_file(0, args.entities))
        memory: list[tuple[str, int]] = [("start (seeded store, bot ready)", rss())]

        await run.burst()  # warm-up
        await env.advance_time(LIFTED)
        memory.append(("after a warm-up burst", rss()))

        base: list[float] = []
        busy: list[float] = []
        alone: list[float] = []
        durations: list[float] = []
        before_done = 0
        for number in range(args.rounds):
            # Each round imports two files of the same size: one alone, one during a burst.
            first = 2 * number * args.entities
            name = f"alone-{number + 1}.yaml"
            alone.append(await run.import_alone(name, import_file(first, args.entities)))
            base += clock.latencies(await run.burst())
            await env.advance_time(LIFTED)
            data = import_file(first + args.entities, args.entities)
            name = f"during-{number + 1}.yaml"
            ids, pressed, shown = await run.burst_during_import(name, data)
            durations.append(shown - pressed)
            busy += clock.latencies(ids)
            before_done += sum(1 for i in ids if clock.answered.get(i, shown) < shown)
            await env.advance_time(LIFTED)
            memory.append((f"after round {number + 1} (two imports, two bursts)", rss()))

        after = clock.latencies(await run.burst())
        memory.append(("after a last burst, nothing else running", rss()))
        asked = args.users * args.per_user
        rows: list[tuple[str, list[float], int, str]] = [
            ("burst, nothing else running", sorted(base), asked * args.rounds, "baseline"),
            ("burst during an import", sorted(busy), asked * args.rounds, ""),
            ("last burst (largest store)", after, asked, ""),
        ]
        refused = len(clock.refused)

    library.close()
    total = args.users * args.per_user
    print(
        f"diplobot load benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(
        f"{args.users} people x {args.per_user} lookups = {total:,} per burst, waves "
        f"{args.gap:g} ms apart; cooldown {rate} per {COOLDOWN_PER:g} s; "
        f"imports of {args.entities:,} entities + {args.entities:,} facts "
        f"({size / 2**20:.1f} MiB YAML); {args.rounds} round(s)"
    )
    print()
    header = ("measure", "answered", "p50", "p95", "p99", "max", "note")
    table = [header]
    p50_base, p99_base = percentile(base, 50), percentile(base, 99)
    for name, samples, count, note in rows:
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        if not note:
            note = f"{p50 / p50_base:.2f}x baseline p50, {p99 / p99_base:.2f}x p99"
        table.append(
            (
                name,
                f"{len(samples):,}/{count:,}",
                ms(p50),
                ms(percentile(samples, 95)),
                ms(p99),
                ms(samples[-1]),
                note,
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for number, row in enumerate(table):
        middle = zip(row[1:-1], widths[1:-1], strict=True)
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in middle]
        print("  ".join([*cells, row[-1]]))
        if number == 0:
            print("  ".join("-" * w for w in widths))
    print()
    alone_s, during = statistics.median(alone), statistics.median(durations)
    print(
        f"import alone:          {alone_s:6.2f} s  median of {len(alone)}, Import pressed -> "
        f"result shown (worst {max(alone):.2f} s; the click itself is answered at once)"
    )
    print(
        f"import during a burst: {during:6.2f} s  median of {len(durations)}, "
        f"{during / alone_s:.2f}x alone (worst {max(durations):.2f} s); "
        f"{before_done:,} of {len(busy):,} lookups answered before it was done"
    )
    if refused:
        print(f"refused for the cooldown: {refused:,} lookups in all bursts")
    print()
    for label, size in memory:
        print(f"RSS {label:<52} {mib(size):>10}")
    growth = memory[-1][1] - memory[-2][1]
    print(f"RSS growth over the last burst (no import): {growth / 2**20:+.1f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="people in the burst (50)")
    parser.add_argument("--per-user", type=int, default=20, help="lookups each (20)")
    parser.add_argument("--entities", type=int, default=3000, help="entities per import (3,000)")
    parser.add_argument("--gap", type=float, default=20.0, help="ms between waves (20)")
    parser.add_argument(
        "--rate",
        type=int,
        default=0,
        help="lookups per person per 10 s before the cooldown (default: --per-user, all answered)",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds of two imports and two bursts (2)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a step may take")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="diplobot-load-") as workdir:
        asyncio.run(measure(args, Path(workdir)))
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
