"""What a follow posts, as answers the front doors draw like any other: a fact's card,
a burst collapsed into one message, and a digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core.answer import Answer, EntityRef, FactView, Status

COMMAND = "follow"
"""The command name posts carry, so renderers treat them as lookup answers."""
SHOWN_IN_BURST = 3
"""How many facts a collapsed burst shows before pointing to ``/recent``."""


def fact_card(followed: EntityRef, fact: FactView, *, corrected: bool) -> Answer:
    """One new or corrected fact about the followed entity, as its card."""
    if corrected:
        title = f"Corrected fact about {followed.name}"
        notice = "This is a correction: the fact below replaces what was posted before."
    else:
        title, notice = f"New fact about {followed.name}", ""
    return Answer(COMMAND, "", Status.FOUND, notice=notice, title=title, facts=(fact,))


def burst(followed: EntityRef, facts: Sequence[FactView], *, corrected: int) -> Answer:
    """Many facts at once (an import) as one message: how many, the first few, and
    where to read the rest."""
    what = "new" if not corrected else "new or corrected"
    noun = "fact" if len(facts) == 1 else "facts"
    shown = facts[:SHOWN_IN_BURST]
    notice = (
        f"The first {len(shown)} are below; `/recent name:{followed.key}` lists them all."
        if len(facts) > len(shown)
        else ""
    )
    title = f"{len(facts)} {what} {noun} about {followed.name}"
    return Answer(COMMAND, "", Status.FOUND, notice=notice, title=title, facts=tuple(shown))


def digest(
    followed: EntityRef, facts: Sequence[FactView], day: dt.date, *, catch_up: bool = False
) -> Answer:
    """Every fact added or corrected about the followed entity over a day (or, as a
    catch-up, while nothing was posted), oldest change first; paged when long."""
    count = f"{len(facts)} fact" if len(facts) == 1 else f"{len(facts)} facts"
    if catch_up:
        title = f"Catch-up: {count} about {followed.name}"
        notice = "Added or corrected more than a day ago, while these posts were not being made."
    else:
        title = f"Daily digest for {followed.name}, {day.isoformat()}"
        notice = f"{count[0].upper()}{count[1:]} added or corrected since the last digest."
    return Answer(COMMAND, "", Status.FOUND, notice=notice, title=title, facts=tuple(facts))
