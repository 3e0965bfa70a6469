"""``follow``, ``unfollow`` and ``following``: a channel starts, stops and lists follows.

NAME is matched like every lookup's: an ambiguous or unknown name gets the usual "did
you mean" answer and nothing is followed.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.cards import unresolved
from bot.answers.commands import check_query
from bot.core.answer import Answer, Status
from bot.core.arguments import Arg, Param
from bot.errors import QueryError
from bot.follows.delivery import DAILY, EACH, MODES, followed_entity
from bot.follows.registry import Place, follow_command
from bot.search.results import Outcome
from bot.store import follows as stored
from bot.store.models import Kind

NAME = Param("name", "The person, organisation, country, place or dispute to follow")
MODE = Param(
    "mode",
    "each: post every new or corrected fact (default); daily: one digest a day",
    required=False,
    type=Arg.CHOICE,
    choices=MODES,
)


@follow_command(
    "follow",
    "Post each new or corrected fact about NAME in this channel, or a daily digest.",
    "!follow iran",
    NAME,
    MODE,
)
def follow(place: Place, name: str, mode: str | None = None) -> Answer:
    """Make place's channel follow the entity name names, in mode (each by default)."""
    name, mode = split_mode(name, mode)
    catalog = place.library.catalog
    resolution = catalog.resolve(name)
    if resolution.outcome is not Outcome.FOUND or resolution.best is None:
        answer = unresolved(catalog, "follow", name, resolution, "entry", "entries")
        return replace(answer, notice=f"{answer.notice} Nothing was followed.")
    record = catalog.entity(resolution.best.entity)
    _, new = stored.add(
        place.library.store,
        place.guild_id,
        place.channel_id,
        record.ref.key,
        mode,
        place.user_id,
    )
    where = place.channel_name
    also = " and its disputed areas" if record.ref.kind == Kind.DISPUTE and record.areas else ""
    if mode == DAILY:
        what = (
            f"A digest of the facts added or corrected about {record.ref.name}{also} will be "
            f"posted in {where} each day at {place.digest_hour:02d}:00 UTC, when there are any."
        )
    else:
        what = (
            f"Each fact added or corrected about {record.ref.name}{also} will be posted in {where}."
        )
    title = f"Following {record.ref.name}" if new else f"Still following {record.ref.name}"
    return Answer("follow", name, Status.DONE, notice=what, title=title, entity=record.ref)


@follow_command(
    "unfollow",
    "Stop posting facts about NAME in this channel.",
    "!unfollow iran",
    Param("name", "What this channel follows and should stop following"),
)
def unfollow(place: Place, name: str) -> Answer:
    """Stop place's channel following what name names."""
    name = check_query(name)
    catalog = place.library.catalog
    followed = {
        row.entity_key
        for row in stored.of_guild(place.library.store, place.guild_id)
        if row.channel_id == place.channel_id
    }
    key = name if name in followed else None
    if key is None:
        resolution = catalog.resolve(name)
        if resolution.outcome is not Outcome.FOUND or resolution.best is None:
            return unresolved(catalog, "unfollow", name, resolution, "entry", "entries")
        found = resolution.best.entity
        key = next((k for k in followed if followed_entity(catalog, k).key == found), found)
    shown = followed_entity(catalog, key).name
    where = place.channel_name
    where = where[:1].upper() + where[1:]
    if not stored.remove(place.library.store, place.channel_id, key):
        notice = f"{where} does not follow {shown}. `/following` lists this server's follows."
        return Answer("unfollow", name, Status.NOT_FOUND, notice=notice)
    notice = f"Facts about {shown} will no longer be posted in {where}."
    return Answer("unfollow", name, Status.DONE, notice=notice, title=f"Unfollowed {shown}")


@follow_command("following", "List what this server's channels follow.", "!following")
def following(place: Place) -> Answer:
    """Every follow of place's server: channel, entity, mode, and why it is paused."""
    catalog = place.library.catalog
    lines = []
    for row in stored.of_guild(place.library.store, place.guild_id):
        channel = place.channel_names.get(row.channel_id, f"channel {row.channel_id}")
        entity = followed_entity(catalog, row.entity_key).name
        line = f"{channel}: {entity} ({row.mode})"
        if row.paused:
            line += f", paused: {row.paused}"
        lines.append(line)
    if not lines:
        notice = "Nothing is followed in this server. `/follow name:…` in a channel starts."
        return Answer("following", "", Status.NOT_FOUND, notice=notice, title="Follows")
    count = f"{len(lines)} follow" if len(lines) == 1 else f"{len(lines)} follows"
    return Answer("following", "", Status.FOUND, notice=count, title="Follows", lines=tuple(lines))


def split_mode(name: str, mode: str | None) -> tuple[str, str]:
    """The name and mode of a follow: the prefix form types the mode as the name's last
    word (``!follow south korea daily``). Raises `QueryError` for an unknown mode."""
    name = check_query(name)
    words = name.rsplit(maxsplit=1)
    if mode is None and len(words) == 2 and words[1].casefold() in MODES:
        name, mode = words[0], words[1].casefold()
    chosen = (mode or EACH).strip().casefold()
    if chosen not in MODES:
        raise QueryError(f"The mode is `each` or `daily`, not `{mode}`.")
    return name, chosen
