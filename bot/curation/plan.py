"""What writing a document would do to the store, worked out without touching it.

`plan_changes` compares a checked document with the stored records under its
keys and says which it creates, which it updates (and which fields change),
and how many it leaves as they are. `Writer` applies exactly such a plan, and
an import's dry run only shows it, so the two cannot disagree. `import_warnings`
adds what a curator should look at before importing: a fact that repeats a
stored fact under another key, an entity named like one the store has.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz, process, utils

from bot.records.shapes import Document, EntitySpec, FactSpec, SourceSpec
from bot.search.normalize import fold
from bot.store.models import Kind

NEAR_TEXT = 95
"""The rapidfuzz ratio from which two fact texts count as nearly the same."""
NEAR_PAIRS_MAX = 2_000_000
"""The most comparisons of texts an import's warnings make (about 5 s on 2 cores); past
it, facts are checked for texts the store has exactly, and a warning says so."""
_Spec = TypeVar("_Spec", SourceSpec, EntitySpec, FactSpec)
Record = SourceSpec | EntitySpec | FactSpec


@dataclass(slots=True)
class Counts:
    """What a write did (or would do) to the records of one type."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass(frozen=True, slots=True)
class Change:
    """One record's change: ``before`` None for a creation, ``after`` None for a deletion."""

    target_type: str
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def action(self) -> str:
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields an update changes, in file order (none for a creation or deletion)."""
        if self.before is None or self.after is None:
            return ()
        names = dict.fromkeys((*self.before, *self.after))
        return tuple(n for n in names if self.before.get(n) != self.after.get(n))


@dataclass(frozen=True, slots=True)
class Step(Generic[_Spec]):
    """One record to write: as stored (None when new) and as it will be stored."""

    before: _Spec | None
    after: _Spec


@dataclass(slots=True)
class Plan:
    """What writing a document does: the records to write per type, in file order."""

    sources: list[Step[SourceSpec]] = field(default_factory=list)
    entities: list[Step[EntitySpec]] = field(default_factory=list)
    facts: list[Step[FactSpec]] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=lambda: {"source": 0, "entity": 0, "fact": 0})
    warnings: tuple[str, ...] = ()

    @property
    def changes(self) -> list[Change]:
        """Every creation and update, sources first, each in the file shape."""
        steps: list[tuple[str, Sequence[Step[Any]]]] = [
            ("source", self.sources),
            ("entity", self.entities),
            ("fact", self.facts),
        ]
        return [
            Change(
                name,
                step.after.key,
                step.before.to_dict() if step.before is not None else None,
                step.after.to_dict(),
            )
            for name, section in steps
            for step in section
        ]

    @property
    def size(self) -> int:
        """How many records the plan covers, changed or not."""
        changed = len(self.sources) + len(self.entities) + len(self.facts)
        return changed + sum(self.unchanged.values())


@dataclass(frozen=True, slots=True)
class Stored:
    """The stored records under a document's keys, by key."""

    sources: Mapping[str, SourceSpec] = field(default_factory=dict)
    entities: Mapping[str, EntitySpec] = field(default_factory=dict)
    facts: Mapping[str, FactSpec] = field(default_factory=dict)


def plan_changes(document: Document, stored: Stored) -> Plan:
    """What upserting document over the stored records does: pure, it reads nothing else.

    A record equal to the stored one is left alone. An entity that leaves out
    aliases, parties, areas or former keys keeps what the store has.
    """
    plan = Plan()
    _classify(plan, "source", plan.sources, document.sources, stored.sources, lambda s, _: s)
    _classify(plan, "entity", plan.entities, document.entities, stored.entities, merged_entity)
    _classify(plan, "fact", plan.facts, document.facts, stored.facts, lambda s, _: s)
    return plan


def _classify(
    plan: Plan,
    name: str,
    steps: list[Step[_Spec]],
    specs: Iterable[_Spec],
    stored: Mapping[str, _Spec],
    merge: Any,
) -> None:
    for spec in specs:
        before = stored.get(spec.key)
        after = merge(spec, before)
        if after == before:
            plan.unchanged[name] += 1
        else:
            steps.append(Step(before, after))


def merged_entity(spec: EntitySpec, stored: EntitySpec | None) -> EntitySpec:
    """The entity as it will be stored: lists the file leaves out are kept from the store.

    Only a dispute has parties and areas; an entity that is not one has none.
    """
    dispute = spec.kind is Kind.DISPUTE

    def kept(given: tuple[Any, ...] | None, old: tuple[Any, ...] | None) -> tuple[Any, ...]:
        return given if given is not None else (old if old is not None else ())

    return replace(
        spec,
        aliases=kept(spec.aliases, stored.aliases if stored else None),
        parties=kept(spec.parties, stored.parties if stored else None) if dispute else (),
        areas=kept(spec.areas, stored.areas if stored else None) if dispute else (),
        former_keys=kept(spec.former_keys, stored.former_keys if stored else None),
    )


# Warnings.


def import_warnings(
    plan: Plan, fact_texts: Mapping[str, str], names: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    """Warnings about what plan writes, against the store as it is.

    fact_texts are every stored fact's text by key; names map every name and
    alias the store answers to, folded, to the keys of the entities it names.
    A fact the plan creates or rewords whose text is the same as, or nearly
    (`NEAR_TEXT`), a stored fact's under another key is named; so is an entity
    the plan creates or renames under a name the store answers to for another key.
    """
    warnings = [
        f"entity '{step.after.key}': the store already answers to {step.after.name!r} "
        f"as {_keys(others)}"
        for step in plan.entities
        if step.before is None or step.before.name != step.after.name
        if (others := [k for k in names.get(fold(step.after.name), ()) if k != step.after.key])
    ]
    reworded = [
        step.after
        for step in plan.facts
        if step.before is None or step.before.text != step.after.text
    ]
    if reworded:
        texts = _Texts(fact_texts)
        near = texts.pairs(reworded) <= NEAR_PAIRS_MAX
        warnings.extend(found for fact in reworded if (found := texts.warning(fact, near)))
        if not near:
            warnings.append(
                f"{len(reworded):,} facts were checked against the store's for the same text "
                "only, not for nearly the same: too many to compare"
            )
    return tuple(warnings)


def _keys(keys: Sequence[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys)


class _Texts:
    """Stored fact texts, ready to be matched by rapidfuzz's ratio within a length window."""

    def __init__(self, fact_texts: Mapping[str, str]) -> None:
        processed = ((utils.default_process(text), key) for key, text in fact_texts.items())
        self._by_length = sorted(processed, key=lambda item: len(item[0]))
        self._lengths = [len(item[0]) for item in self._by_length]
        self._exact: dict[str, list[str]] = {}
        for key, text in fact_texts.items():
            self._exact.setdefault(text.strip(), []).append(key)

    def _window(self, query: str) -> tuple[int, int]:
        """Where the stored texts are whose length allows a ratio of `NEAR_TEXT` with query:
        ratio = 2·matches / (len a + len b), so lengths within 95/105 of each other."""
        low = bisect.bisect_left(self._lengths, len(query) * 0.95 / 1.05)
        return low, bisect.bisect_right(self._lengths, len(query) * 1.05 / 0.95)

    def pairs(self, facts: Sequence[FactSpec]) -> int:
        """How many comparisons looking for nearly the same texts as facts' would take."""
        windows = (self._window(utils.default_process(fact.text)) for fact in facts)
        return sum(high - low for low, high in windows)

    def warning(self, fact: FactSpec, near: bool) -> str | None:
        """A warning when fact's text repeats a stored fact's under another key (only the
        same text unless near), else None."""
        same = [key for key in self._exact.get(fact.text.strip(), ()) if key != fact.key]
        if same:
            return f"fact '{fact.key}': the same text as stored fact {_keys(same)}"
        if not near:
            return None
        query = utils.default_process(fact.text)
        low, high = self._window(query)
        window = self._by_length[low:high]
        found = process.extract(
            query,
            [processed for processed, _ in window],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=NEAR_TEXT,
            limit=2,
        )
        best = [(score, window[index][1]) for _, score, index in found]
        best = [(score, key) for score, key in best if key != fact.key]
        if not best:
            return None
        score, key = best[0]
        return f"fact '{fact.key}': nearly the same text as stored fact '{key}' (ratio {score:.0f})"


__all__ = [
    "NEAR_TEXT",
    "Change",
    "Counts",
    "Plan",
    "Step",
    "Stored",
    "import_warnings",
    "merged_entity",
    "plan_changes",
]
