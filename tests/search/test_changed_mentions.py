"""A names matcher changed in place finds exactly what one built whole from the new
names finds."""

from __future__ import annotations

from bot.search.changed_mentions import ChangedMentions, changed
from bot.search.mentions import MentionMatcher

BEFORE = [
    ("kuril-islands", "Kuril Islands"),
    ("kuril-dispute", "Kuril Islands dispute"),
    ("nikolai-nozdrev", "Nikolai Nozdrev"),
    ("nikolai-nozdrev", "Nozdrev"),
    ("japan", "Japan"),
    ("united-states", "US"),
    ("georgia-country", "Georgia"),
    ("georgia-state", "Georgia"),
]
TEXT = (
    "Nozdrev said the Kuril Islands dispute is closed; US and Japanese officials, "
    "and Georgia's envoy, met in Tokyo. Zembla stayed away from the Kuril Islands."
)


def found(matcher: MentionMatcher) -> list[tuple[str, list[tuple[int, int, str]]]]:
    return [(m.entity, [(x.start, x.end, x.alias) for x in m.matches]) for m in matcher.find(TEXT)]


def test_changes_find_what_the_whole_built_again_finds() -> None:
    names = list(BEFORE)
    matcher = MentionMatcher(names)
    steps = [
        # the dispute removed: the islands are named inside its old span now
        (["kuril-dispute"], []),
        # a new entity, and one sharing an unchanged entity's name
        ([], [("zembla", "Zembla"), ("georgia-city", "Georgia")]),
        # a rename: Nozdrev is no longer a name of anything
        (["nikolai-nozdrev"], [("nikolai-nozdrev", "Nikolai N.")]),
        # an acronym entity given a laxer name
        (["united-states"], [("united-states", "US"), ("united-states", "United States")]),
    ]
    for removed, added in steps:
        gone = {*removed, *(entity for entity, _ in added)}
        names = [pair for pair in names if pair[0] not in gone] + added
        matcher = changed(matcher, removed, added, iter(names))
        assert isinstance(matcher, ChangedMentions)
        assert found(matcher) == found(MentionMatcher(names)), (removed, added)
    entities = [mention.entity for mention in matcher.find(TEXT)]
    assert "zembla" in entities and "kuril-dispute" not in entities
    assert "nikolai-nozdrev" not in entities


def test_many_changes_build_the_whole_again() -> None:
    matcher = MentionMatcher(BEFORE)
    added = [(f"place-{n}", f"Place Number {n}") for n in range(2100)]
    rebuilt = changed(matcher, [], added, iter([*BEFORE, *added]))
    assert type(rebuilt) is MentionMatcher
    assert rebuilt.aliases == len(BEFORE) + len(added)
