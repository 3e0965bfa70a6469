"""Who may curate: every curation operation, on every path, tried by every sort of actor.

`TABLE` has one row per operation in the registry (`OPERATIONS`): example arguments
against the seed store, and each path that reaches the operation as a sequence of
steps (a typed ``!curate`` line, a ``/curate`` command, a button, a select, a form,
an attached file). The matrix runs every (operation, path) pair as each actor:

- the application's owner, a curator by user id and a curator by role: every step is
  answered, a write changes the store (and is posted to the audit channel), a read
  changes nothing, and the last answer is the one expected;
- a member whose role has Administrator but no curator role, and a plain member: the
  first step gets REFUSAL alone (privately, on an interaction), the refusal is
  logged, and nothing changes; so does every button or select the path shows a
  curator in the channel, pressed by them instead;
- the curator by role writing in a DM, where the role does not count: a typed line
  is refused, and slash commands are not offered there at all;
- another bot and a webhook: a typed line gets no reply at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as PathLib
from typing import Any

import discord
import pytest
import simcord
from discord import app_commands
from discord.ext import commands

from bot.chat.access import REFUSAL, NotCurator
from bot.chat.bot import DiploBot
from bot.core.arguments import Arg
from bot.curation.operations import OPERATIONS
from bot.store import suggestions
from tests.chat.curate.conftest import SOURCE, Desk
from tests.chat.helpers import SETTINGS

FILE = ("kono.yaml", b"entities:\n  - {key: taro-kono, kind: person, name: Taro Kono}\n")
FACT = "japan-agrees-us-patriot-request"
ARTICLE = ("harbour.html", (PathLib(__file__).parent / "article.html").read_bytes())
PASTED = "Haruto Ishikawa, Japan's deputy foreign minister, met Nikolai Nozdrev on Monday."


# ---------------------------------------------------------------------------
# Steps and paths


@dataclass(frozen=True)
class Typed:
    """``!curate LINE`` typed in the channel, with a file attached when one is given."""

    line: str
    file: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class Slash:
    """``/curate NAME`` with these options."""

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Press:
    """Press the button labelled so on the last answer."""

    label: str


@dataclass(frozen=True)
class Pick:
    """Pick this value in the last answer's select."""

    value: str


@dataclass(frozen=True)
class Fill:
    """Submit the form the last answer opened: what it shows, with these values typed over."""

    values: Mapping[str, str]


Step = Typed | Slash | Press | Pick | Fill


@dataclass(frozen=True)
class Path:
    """One way to an operation: its steps, and how the title of a curator's last answer
    starts."""

    steps: tuple[Step, ...]
    shows: str


@dataclass(frozen=True)
class Row:
    """One operation: its paths by name, and what a test arranges first."""

    op: str
    paths: Mapping[str, Path]
    given: str | None = None
    """A ``!curate`` line the owner types before anything is measured."""
    attaches: bool = False
    """Whether a curator's answer carries a file (and so must a refusal not)."""
    suggested: bool = False
    """Whether a member's suggestion (number 1, on fact `FACT`) is stored first."""

    @property
    def writes(self) -> bool:
        return OPERATIONS[self.op].writes


def both(
    op: str, typed: str, options: Mapping[str, Any], shows: str, **more: Path
) -> dict[str, Path]:
    """The prefix and slash paths of op, with the same arguments, and more paths."""
    return {
        "prefix": Path((Typed(f"{op} {typed}".strip()),), shows),
        "slash": Path((Slash(op, options),), shows),
        **more,
    }


PATH_KINDS = ("prefix", "slash", "button", "modal", "select", "attachment")
"""The six kinds of path; a path's name starts with its kind."""

HISTORY = Typed(f"history {SOURCE}")
"""A listing whose select offers revision 1, the seed's source."""

TABLE: tuple[Row, ...] = (
    Row(
        "source add",
        both(
            "source add",
            'ria-2024-03 "Nozdrev interview" outlet:"RIA Novosti"',
            {"key": "ria-2024-03", "title": "Nozdrev interview", "outlet": "RIA Novosti"},
            "Added source 'ria-2024-03'",
        ),
    ),
    Row(
        "source edit",
        both(
            "source edit",
            f'{SOURCE} outlet:"Associated Press"',
            {"source": SOURCE, "outlet": "Associated Press"},
            f"Changed source '{SOURCE}'",
        ),
    ),
    Row(
        "source use",
        both("source use", SOURCE, {"source": SOURCE}, f"Current source: '{SOURCE}'"),
    ),
    Row(
        "entity add",
        both(
            "entity add",
            'yoko-kamikawa person "Yoko Kamikawa"',
            {"key": "yoko-kamikawa", "kind": "person", "name": "Yoko Kamikawa"},
            "Added entity 'yoko-kamikawa'",
        ),
    ),
    Row(
        "entity edit",
        both(
            "entity edit",
            'japan summary:"An island country in East Asia."',
            {"entity": "japan", "summary": "An island country in East Asia."},
            "Changed entity 'japan'",
        ),
    ),
    Row(
        "entity links",
        both(
            "entity links",
            "kuril-islands-dispute parties:japan,russia areas:iturup",
            {"dispute": "kuril-islands-dispute", "parties": "japan,russia", "areas": "iturup"},
            "Changed entity 'kuril-islands-dispute'",
        ),
    ),
    Row(
        "entity merge",
        both(
            "entity merge",
            "kuril-islands southern-kurils",
            {"keep": "kuril-islands", "other": "southern-kurils"},
            "6 records changed",
        ),
    ),
    Row(
        "entity delete",
        both(
            "entity delete",
            "kamikawa",
            {"entity": "kamikawa"},
            "Deleted entity 'kamikawa'",
            # Facts name patriot: deleting it with them waits for the Delete button.
            button=Path(
                (Typed("entity delete patriot with_facts:yes"), Press("Delete")),
                "11 records changed",
            ),
        ),
        # Every entity in the seed is named by a fact, and so is not deleted outright.
        given="entity add kamikawa person Kamikawa",
    ),
    Row(
        "alias add",
        both(
            "alias add",
            "japan Nippon-koku lang:ja",
            {"entity": "japan", "text": "Nippon-koku", "lang": "ja"},
            "Changed entity 'japan'",
        ),
    ),
    Row(
        "alias remove",
        both(
            "alias remove",
            "japan Nihon",
            {"entity": "japan", "text": "Nihon"},
            "Changed entity 'japan'",
        ),
    ),
    Row(
        "fact add",
        {
            "prefix": Path(
                (Typed(f"fact add about:japan source:{SOURCE} A statement."),),
                "Added fact 'japan-statement'",
            ),
            # By slash, the text is typed into a form: the slash path is the modal.
            "modal": Path(
                (
                    Slash("fact add", {"about": "japan", "source": SOURCE}),
                    Fill({"text": "A statement."}),
                ),
                "Added fact 'japan-statement'",
            ),
        },
    ),
    Row(
        "fact edit",
        {
            "prefix": Path((Typed(f"fact edit {FACT} date:2023-11"),), f"Changed fact '{FACT}'"),
            "modal": Path(
                (Slash("fact edit", {"fact": FACT}), Fill({"date": "2023-11"})),
                f"Changed fact '{FACT}'",
            ),
        },
    ),
    Row("fact delete", both("fact delete", FACT, {"fact": FACT}, f"Deleted fact '{FACT}'")),
    Row(
        "import",
        {
            # The file is attached to the command, and applied by the Import button.
            "attachment (prefix)": Path(
                (Typed("import", file=FILE), Press("Import")), "Imported kono.yaml"
            ),
            "attachment (slash)": Path(
                (Slash("import", {"file": FILE}), Press("Import")), "Imported kono.yaml"
            ),
        },
    ),
    Row(
        "article",
        {
            # A draft is reviewed with its own buttons; nothing is written until imported.
            "attachment (prefix)": Path((Typed("article", file=ARTICLE),), "Draft "),
            "attachment (slash)": Path((Slash("article", {"file": ARTICLE}),), "Draft "),
            "modal": Path((Slash("article"), Fill({"text": PASTED})), "Draft "),
            "button": Path((Typed("article", file=ARTICLE), Press("Drop 1")), "Draft "),
        },
    ),
    Row("export", both("export", "", {}, "Export"), attaches=True),
    Row("history", both("history", SOURCE, {"record": SOURCE}, f"History of '{SOURCE}'")),
    Row(
        "revision",
        both(
            "revision",
            "1",
            {"number": 1},
            "Revision 1: ",
            select=Path((HISTORY, Pick("1")), "Revision 1: "),
        ),
    ),
    Row(
        "undo",
        both(
            "undo",
            "1",  # the seed, imported in one action: undone whole
            {"number": 1},
            "34 records changed",
            button=Path((Typed("revision 1"), Press("Undo #1")), "34 records changed"),
            select=Path((HISTORY, Pick("1"), Press("Undo #1")), "34 records changed"),
        ),
    ),
    Row("suggestions", both("suggestions", "", {}, "Open suggestions"), suggested=True),
    Row(
        "suggestion accept",
        both("suggestion accept", "1", {"number": 1}, "Accepted suggestion 1"),
        suggested=True,
    ),
    Row(
        "suggestion dismiss",
        both("suggestion dismiss", "1", {"number": 1}, "Dismissed suggestion 1"),
        suggested=True,
    ),
    # Not in the slash group: Discord lists the slash commands itself.
    Row("help", {"prefix": Path((Typed("help"),), "Curation commands")}),
)

ROWS = {row.op: row for row in TABLE}

CURATORS = ("owner", "by_id", "by_role")
MEMBERS = ("admin", "member")
ACTORS = (*CURATORS, *MEMBERS, "dm", "bot", "webhook")
TYPING_ONLY = ("bot", "webhook")
"""Actors that can only type: bots and webhooks have no slash commands or buttons."""
EVERYDAY = ("owner", "member")
"""The actors the quick run (`-m "not slow"`) tries on every path: one who may curate
and one who may not. The full run tries all eight."""


def cases() -> list[Any]:
    found = []
    for row in TABLE:
        for name, path in row.paths.items():
            typed_first = isinstance(path.steps[0], Typed)
            for who in ACTORS:
                if who in TYPING_ONLY and not typed_first:
                    continue
                marks = () if who in EVERYDAY else (pytest.mark.slow,)
                found.append(
                    pytest.param(row.op, name, who, id=f"{row.op}-{name}-{who}", marks=marks)
                )
    return found


# ---------------------------------------------------------------------------
# The table is complete and matches the bot


def test_the_table_has_one_row_per_registered_operation() -> None:
    assert len(ROWS) == len(TABLE)
    assert set(ROWS) == set(OPERATIONS)


def test_the_table_tries_each_operation_on_the_paths_it_has() -> None:
    kinds: set[str] = set()
    for row in TABLE:
        spec = OPERATIONS[row.op]
        names = set(row.paths)
        assert all(name.split()[0] in PATH_KINDS for name in names), row.op
        kinds |= {name.split()[0] for name in names}
        firsts = {name: path.steps[0] for name, path in row.paths.items()}
        if any(param.type is Arg.FILE for param in spec.params):
            # Typed or slash, a file comes attached: those are its prefix and slash paths.
            assert {"attachment (prefix)", "attachment (slash)"} <= names, row.op
            assert not names & {"prefix", "slash"}, row.op
            assert isinstance(firsts["attachment (prefix)"], Typed)
            assert firsts["attachment (prefix)"].file is not None
            assert isinstance(firsts["attachment (slash)"], Slash)
            continue
        own = firsts["prefix"]
        assert isinstance(own, Typed) and (own.line + " ").startswith(row.op + " "), row.op
        if spec.form:
            # Its slash command opens the form: the slash path is the modal path.
            assert "modal" in names and "slash" not in names, row.op
            modal = firsts["modal"]
            assert isinstance(modal, Slash) and modal.name == row.op, row.op
        elif row.op != "help":
            assert isinstance(firsts["slash"], Slash) and firsts["slash"].name == row.op
        assert ("modal" in names) == bool(spec.form), row.op
    assert kinds == set(PATH_KINDS)


def slash_paths(row: Row) -> bool:
    """Whether the row reaches its operation by its own slash command."""
    return any(
        isinstance(step := path.steps[0], Slash) and step.name == row.op
        for path in row.paths.values()
    )


async def test_the_bot_offers_the_operations_the_table_tries_and_no_others(desk: Desk) -> None:
    typed = desk.bot.get_command("curate")
    assert isinstance(typed, commands.Group)
    leaves = {c.qualified_name for c in typed.walk_commands() if not isinstance(c, commands.Group)}
    assert {name.removeprefix("curate ") for name in leaves} == set(OPERATIONS)
    slash = desk.bot.tree.get_command("curate")
    assert isinstance(slash, app_commands.Group)
    offered = {
        c.qualified_name.removeprefix("curate ")
        for c in slash.walk_commands()
        if isinstance(c, app_commands.Command)
    }
    assert offered == {row.op for row in TABLE if slash_paths(row)}
    assert set(OPERATIONS) - offered == {"help"}


# ---------------------------------------------------------------------------
# Taking a step


@dataclass(frozen=True)
class Reply:
    """The bot's answer to one step: a message in the channel (a typed line), an
    interaction's result, or nothing at all."""

    message: discord.Message | None = None
    result: simcord.InteractionResult | None = None

    @property
    def shown(self) -> discord.Message | simcord.ResponseMessage | None:
        if self.result is not None:
            return self.result.response
        return self.message

    @property
    def target(self) -> discord.Message:
        """The message whose buttons or select the next step uses."""
        if self.result is not None:
            assert self.result.response is not None, self.result
            return self.result.response.message
        assert self.message is not None
        return self.message

    @property
    def private(self) -> bool:
        shown = self.shown
        return isinstance(shown, simcord.ResponseMessage) and shown.ephemeral

    @property
    def title(self) -> str:
        shown = self.shown
        assert shown is not None and shown.embeds, self
        return shown.embeds[0].title or ""


def refused(reply: Reply) -> bool:
    """Whether reply is the refusal and nothing else: no embed, file or component that
    could tell anything; private on an interaction."""
    shown = reply.shown
    return (
        shown is not None
        and shown.content == REFUSAL
        and not shown.embeds
        and not shown.attachments
        and not shown.components
        and (reply.result is None or reply.private)
    )


def form_values(result: simcord.InteractionResult) -> dict[str, str]:
    """What the form an interaction opened shows, by field."""
    assert result.modal is not None
    fields = (row["components"][0] for row in result.modal["components"])
    return {field["custom_id"]: field.get("value") or "" for field in fields}


async def take(desk: Desk, who: simcord.MemberActor, step: Step, last: Reply) -> Reply:
    """Take one step as who in the news channel; last is the answer to the step before."""
    if isinstance(step, Typed):
        files = [step.file] if step.file else []
        sent = await who.send(desk.channel, f"!curate {step.line}", attachments=files)
        answer = desk.last()
        return Reply(message=answer) if answer.id != sent.id else Reply()
    if isinstance(step, Slash):
        return Reply(result=await who.slash(desk.channel, f"curate {step.name}", **step.options))
    if isinstance(step, Press):
        return Reply(result=await who.click(last.target, label=step.label))
    if isinstance(step, Pick):
        return Reply(result=await who.select(last.target, [step.value]))
    assert last.result is not None
    values = {**form_values(last.result), **step.values}
    return Reply(result=await who.submit_modal(last.result, values))


async def walk(desk: Desk, who: simcord.MemberActor, steps: tuple[Step, ...]) -> Reply:
    """Take steps as a curator, each answered and none refused; the last answer."""
    reply = Reply()
    for step in steps:
        reply = await take(desk, who, step, reply)
        assert reply.shown is not None or (reply.result and reply.result.modal), step
        assert not refused(reply), f"refused at {step}"
    return reply


# ---------------------------------------------------------------------------
# The matrix


@dataclass(frozen=True)
class Before:
    """What a case measures against: the store and the audit channel."""

    store: tuple[dict[str, list[dict[str, Any]]], int]
    audit: int

    @classmethod
    def of(cls, desk: Desk) -> Before:
        return cls(desk.snapshot(), len(desk.audit.history()))

    def unchanged(self, desk: Desk) -> bool:
        return desk.snapshot() == self.store and len(desk.audit.history()) == self.audit


@pytest.mark.parametrize(("op", "path", "who"), cases())
async def test_only_curators_curate_on_every_path(
    desk: Desk, op: str, path: str, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    row = ROWS[op]
    if row.suggested:
        by = suggestions.Origin(str(desk.member.id), "mia", "server", str(desk.guild.id))
        suggestions.save(
            desk.library.store, by, card="about:japan", title="Japan", facts=[FACT], text="Wrong."
        )
    if row.given is not None:
        await desk.owner.send(desk.channel, f"!curate {row.given}")
        assert desk.last().embeds[0].colour == discord.Colour.green(), row.given
    before = Before.of(desk)
    steps = row.paths[path].steps
    if who in CURATORS:
        await as_curator(desk, getattr(desk, who), row, row.paths[path], before)
    elif who in MEMBERS:
        await as_member(desk, getattr(desk, who), steps, before, caplog)
    elif who == "dm":
        await in_a_dm(desk, steps[0], before, caplog)
    else:
        await as_bot_or_webhook(desk, who, steps[0], before)


async def as_curator(
    desk: Desk, curator: simcord.MemberActor, row: Row, path: Path, before: Before
) -> None:
    """Every step answered; the store changed by a write only; the answer expected."""
    answer = await walk(desk, curator, path.steps)
    assert answer.title.startswith(path.shows), answer.title
    if row.writes:
        assert desk.snapshot() != before.store
        assert len(desk.audit.history()) > before.audit  # a change is posted
    else:
        assert before.unchanged(desk)
    shown = answer.shown
    assert shown is not None and bool(shown.attachments) == row.attaches
    assert not desk.env.errors


async def as_member(
    desk: Desk,
    member: simcord.MemberActor,
    steps: tuple[Step, ...],
    before: Before,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Refused at the first step; then refused each button or select a curator is shown
    in the channel on the same path. Nothing changes, and each refusal is logged."""
    first = await take(desk, member, steps[0], Reply())
    assert refused(first), first
    tries = 1
    for at, step in enumerate(steps[1:], start=1):
        if isinstance(step, Fill):
            continue  # a form is only ever shown to the one who opened it
        shown = await walk(desk, desk.by_role, steps[:at])
        if shown.private:
            continue  # only its curator can see it, let alone press it
        assert refused(await take(desk, member, step, shown)), step
        tries += 1
    assert before.unchanged(desk)
    assert caplog.text.count(f"to user {member.id}") == tries
    assert all(isinstance(error, NotCurator) for error in desk.env.errors)


async def in_a_dm(
    desk: Desk, first: Step, before: Before, caplog: pytest.LogCaptureFixture
) -> None:
    """A typed line is refused in a DM, even to a curator by role; slash is not offered."""
    user = desk.dm_user
    if isinstance(first, Slash):
        with pytest.raises(simcord.SetupError, match="not visible"):
            await user.slash(f"curate {first.name}", **first.options)
    else:
        assert isinstance(first, Typed)
        extra: dict[str, Any] = {}
        if first.file is not None:
            channel = user.dm_channel.id
            extra["attachments"] = desk.env.backend.store_attachments(channel, [first.file])
        await user.send_dm(f"!curate {first.line}", **extra)
        answer = user.dm_channel.last_message
        assert answer is not None and refused(Reply(message=answer)), answer
        assert f"to user {user.id} in a DM" in caplog.text
        assert [type(error) for error in desk.env.errors] == [NotCurator]
    assert before.unchanged(desk)


async def as_bot_or_webhook(desk: Desk, who: str, first: Step, before: Before) -> None:
    """Another bot's or a webhook's line gets no reply at all."""
    assert isinstance(first, Typed)
    line, files = f"!curate {first.line}", [first.file] if first.file else []
    count = len(desk.channel.history())
    if who == "bot":
        await desk.other_bot.send(desk.channel, line, attachments=files)
    else:
        hook = desk.guild.create_webhook(desk.channel, "news-feed")
        await hook.send(line, username="Feed", attachments=files)
    assert len(desk.channel.history()) == count + 1  # their own message, no reply
    assert desk.last().content == line
    assert not desk.env.errors
    assert before.unchanged(desk)


# ---------------------------------------------------------------------------
# A curator's buttons, select and form are theirs alone, while they are one


@pytest.mark.parametrize("who", ("by_id", "by_role", "admin", "member"))
@pytest.mark.parametrize("kind", ("button", "select"))
async def test_a_button_or_select_a_curator_opened_is_refused_to_everyone_else(
    desk: Desk, who: str, kind: str
) -> None:
    actor = getattr(desk, who)
    if kind == "button":
        await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
        before = desk.snapshot()
        result = await actor.click(desk.last(), label="Delete")
    else:
        await desk.owner.send(desk.channel, "!curate history")
        before = desk.snapshot()
        result = await actor.select(desk.last(), ["34"])
    assert refused(Reply(result=result))
    assert desk.snapshot() == before


async def test_a_curator_who_loses_the_role_cannot_submit_the_form_they_opened(
    desk: Desk,
) -> None:
    shown = await desk.by_id.slash(desk.channel, "curate fact add", about="japan", source=SOURCE)
    assert shown.modal is not None
    desk.bot.settings = SETTINGS  # CURATOR_USER_IDS no longer lists them
    before = desk.snapshot()
    result = await desk.by_id.submit_modal(
        shown, {"text": "A statement.", "about": "japan", "source": SOURCE}
    )
    assert refused(Reply(result=result))
    assert desk.snapshot() == before


async def test_the_slash_group_is_hidden_from_members_without_manage_server(
    simcord_env: simcord.Env,
) -> None:
    env = simcord_env
    guild = env.create_guild("Elsewhere")
    channel = guild.create_text_channel("general")
    managers = guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    manager = guild.add_member(env.create_user("manager"), roles=[managers])
    member = guild.add_member(env.create_user("member"))
    bot = env.bot
    assert isinstance(bot, DiploBot)
    await bot.tree.sync()
    curate = next(c for c in await bot.tree.fetch_commands() if c.name == "curate")
    assert curate.default_member_permissions == discord.Permissions(manage_guild=True)
    # Servers only, never a DM: the synced contexts are checked in tests/chat/test_reach.py.
    assert "curate alias add" in manager.available_commands(channel)
    assert not any(name.startswith("curate") for name in member.available_commands(channel))
    assert "who" in member.available_commands(channel)
