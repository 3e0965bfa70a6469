"""A names matcher with some entities' names changed, without building it again.

Building the Aho-Corasick automaton of a large store takes tens of seconds (about 40
at 1,000,000 aliases), too long to pay at every curated change. `changed` gives a
matcher that reads the one it was given with the changed entities hidden, plus a
small one of their names now; the text is scanned by both at once, so the rules
(longest wins, whole words) see every match together, exactly as one matcher would.
Once the changes outgrow a share of the store, the whole is built again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bot.search.mentions import Mention, MentionMatcher, find_in

_SHARE = 0.05
_MIN = 2000
"""Changed names are kept apart until they outnumber both of these (a share of the
names of the matcher they change, and a count); then the matcher is built whole."""

Names = Iterable[tuple[str, str]]
"""(entity key, name) pairs, as `MentionMatcher` takes them."""


class ChangedMentions(MentionMatcher):
    """A matcher with the names of some entities replaced (see the module)."""

    def __init__(self, base: MentionMatcher, hidden: frozenset[str], names: Names) -> None:
        self.names = tuple(names)
        super().__init__(self.names)
        self.base, self.hidden = base, hidden
        self.aliases = base.aliases + len(self.names)

    def __len__(self) -> int:
        return len(self.base) + super().__len__()

    def find(self, text: str) -> list[Mention]:
        return find_in(((self.base, self.hidden), (self, frozenset())), text)


def changed(
    matcher: MentionMatcher,
    removed: Collection[str],
    added: Names,
    everything: Names,
) -> MentionMatcher:
    """matcher with the names of the entities in removed gone and added's names in: each
    entity named in added has exactly those names afterwards. everything is every name
    of the store as it is now (read only when building the whole is due)."""
    added = tuple(added)
    gone = {*removed, *(entity for entity, _ in added)}
    base, hidden, kept = matcher, frozenset[str](), tuple[tuple[str, str], ...]()
    if isinstance(matcher, ChangedMentions):
        base, hidden = matcher.base, matcher.hidden
        kept = tuple(pair for pair in matcher.names if pair[0] not in gone)
    names = (*kept, *added)
    if len(names) > max(_MIN, _SHARE * base.aliases):
        return MentionMatcher(everything)
    return ChangedMentions(base, hidden | gone, names)


__all__ = ["ChangedMentions", "changed"]
