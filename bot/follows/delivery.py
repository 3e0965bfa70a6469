"""Which changes go to which followed channel, and when: the posting logic below Discord.

A `Courier` looks at the follows of the servers this process holds, reads the fact
revisions after each follow's cursor, and plans `Post`s: one card per fact, a burst
collapsed into one message, a catch-up digest for what is over a day old, or (mode
daily) the day's digest once `digest_hour` has passed. A post is sent only after
`Courier.claim` has moved the follow's cursor (`bot.store.follows.claim`), so however
many processes look, each change is posted once per follow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.answers.catalog import Catalog
from bot.core.answer import Answer, EntityRef, FactView
from bot.follows import posts
from bot.follows.registry import Shelf
from bot.store import follows as stored
from bot.store.follows import FactChange, FollowRow
from bot.store.models import Kind, utcnow

EACH, DAILY = "each", "daily"
"""The two modes: a post per change, or one digest a day."""
MODES = (EACH, DAILY)
BURST = 5
"""More facts than this for one channel within `BURST_WINDOW` are collapsed into one post."""
BURST_WINDOW = timedelta(minutes=1)
CATCH_UP_AFTER = timedelta(hours=24)
"""A change older than this when it is first seen goes into one catch-up digest."""
GAP_WAIT = timedelta(seconds=30)
"""How long a missing revision number may still be a change being committed: numbers are
taken just before commit, so a later one can commit first. A gap still there this long
after it was first seen is a rolled-back change that will never come."""

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Post:
    """What one follow posts now: its answers, the revision its cursor moves to, and the
    day recorded when it is a daily digest. ``answers`` may be empty: the cursor still
    moves past changes that concern nobody here."""

    follow: FollowRow
    through: int
    answers: tuple[Answer, ...]
    digest_on: dt.date | None = None
    singles: int = 0
    """How many of the answers are single facts' cards (they count towards a burst)."""

    @property
    def channel_id(self) -> int:
        return self.follow.channel_id


@dataclass
class Courier:
    """Plans and claims the posts of followed channels for the servers this process holds."""

    library: Shelf
    digest_hour: int = 8
    clock: Clock = utcnow
    _recent: defaultdict[int, deque[datetime]] = field(
        default_factory=lambda: defaultdict(deque), repr=False
    )
    _gaps: dict[int, datetime] = field(default_factory=dict, repr=False)
    """Gaps in the revision numbers, by their first missing number, and when first seen."""

    def due(self, guild_ids: Collection[int], *, seen: int) -> list[Post]:
        """The posts due now in these servers' unpaused follows, covering revisions up
        to ``seen`` (what the catalog has read), oldest follow first. Reads the store."""
        now = self.clock()
        store = self.library.store
        waiting = [
            follow
            for follow in stored.of_guilds(store, guild_ids)
            if follow.paused is None and (follow.mode == EACH or self._digest_due(follow, now))
        ]
        if not waiting:
            return []
        low = min(follow.cursor for follow in waiting)
        high = min(self.settled(stored.numbers_after(store, low), low, now), seen)
        changes = stored.fact_changes(store, low, high) if high > low else []
        catalog = self.library.catalog
        planned = []
        for follow in waiting:
            if follow.mode == EACH and follow.cursor >= high:
                continue
            mine = [change for change in changes if change.revision > follow.cursor]
            planned.append(self._plan(catalog, follow, mine, high, now))
        return planned

    def settled(self, numbers: Sequence[int], after: int, now: datetime) -> int:
        """The highest of the revision numbers committed after ``after`` (``numbers``, in
        order) below which none may still be committing: a missing number stops it until
        it has been missing for `GAP_WAIT`."""
        through = after
        for number in numbers:
            if number > through + 1:  # a gap, known by its first missing number
                first = self._gaps.setdefault(through + 1, now)
                if now - first < GAP_WAIT:
                    return through
            through = number
        for missing in [gap for gap in self._gaps if gap <= through]:
            del self._gaps[missing]
        return through

    def claim(self, post: Post) -> bool:
        """Take post's changes for this process; False when another took them first."""
        return stored.claim(self.library.store, post.follow, post.through, digest_on=post.digest_on)

    def give_back(self, post: Post) -> None:
        """Return a claimed post's changes, unsent, to be tried again."""
        stored.give_back(self.library.store, post.follow, post.through)

    def sent(self, post: Post) -> None:
        """Note that post went out, for collapsing the next burst in its channel."""
        now = self.clock()
        self._recent[post.channel_id].extend([now] * post.singles)

    def _recently_sent(self, channel_id: int, now: datetime) -> int:
        recent = self._recent[channel_id]
        while recent and now - recent[0] > BURST_WINDOW:
            recent.popleft()
        return len(recent)

    def _digest_due(self, follow: FollowRow, now: datetime) -> bool:
        today = now.date()
        return now.hour >= self.digest_hour and (
            follow.digest_on is None or follow.digest_on < today
        )

    def _plan(
        self,
        catalog: Catalog,
        follow: FollowRow,
        changes: Sequence[FactChange],
        through: int,
        now: datetime,
    ) -> Post:
        followed = followed_entity(catalog, follow.entity_key)
        found = matching(catalog, follow.entity_key, changes)
        if follow.mode == DAILY:
            facts = [fact for fact, _, _ in found]
            digests = (posts.digest(followed, facts, now.date()),) if facts else ()
            return Post(follow, through, digests, digest_on=now.date())
        fresh = [(fact, fixed) for fact, fixed, at in found if now - at <= CATCH_UP_AFTER]
        stale = [fact for fact, _, at in found if now - at > CATCH_UP_AFTER]
        answers: list[Answer] = []
        if stale:
            answers.append(posts.digest(followed, stale, now.date(), catch_up=True))
        singles = 0
        if len(fresh) + self._recently_sent(follow.channel_id, now) > BURST:
            corrected = sum(1 for _, fixed in fresh if fixed)
            answers.append(posts.burst(followed, [fact for fact, _ in fresh], corrected=corrected))
        else:
            answers += [posts.fact_card(followed, fact, corrected=fixed) for fact, fixed in fresh]
            singles = len(fresh)
        return Post(follow, through, tuple(answers), singles=singles)


def followed_entity(catalog: Catalog, key: str) -> EntityRef:
    """The followed entity as answers name it (a merged key names what it went into; a
    deleted entity keeps its key as its name)."""
    record = catalog.entities.get(key) or catalog.entities.get(catalog.redirects.get(key, ""))
    return record.ref if record is not None else EntityRef(key, "other", key)


def watched(catalog: Catalog, key: str) -> frozenset[str]:
    """The entity keys a follow of key covers: the entity, and a dispute's disputed areas."""
    record = catalog.entities.get(key) or catalog.entities.get(catalog.redirects.get(key, ""))
    if record is None:
        return frozenset({key})
    areas = record.areas if record.ref.kind == Kind.DISPUTE else ()
    return frozenset({key, record.ref.key, *areas})


def matching(
    catalog: Catalog, key: str, changes: Sequence[FactChange]
) -> list[tuple[FactView, bool, datetime]]:
    """The facts, as they are now, that changes added or corrected about what key's follow
    covers: each once, in the order of its first change, with whether it was a correction
    (it existed before these changes) and when it was last changed. Deletions and facts
    gone since are left out."""
    covers = watched(catalog, key)
    first: dict[str, FactChange] = {}
    last: dict[str, FactChange] = {}
    for change in changes:
        if change.action != "delete" and covers.intersection(change.about):
            first.setdefault(change.fact_key, change)
            last[change.fact_key] = change
    found = []
    for fact_key, change in first.items():
        fact = catalog.facts.get(fact_key)
        if fact is not None:
            found.append((fact, change.action != "create", last[fact_key].at))
    return found
