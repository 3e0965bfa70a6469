"""Adding to and removing from a stored list, as ``about:+white-house=mentioned,-china`` asks.

A list given in a curation command replaces the stored one, unless every item
starts with ``+`` (add it) or ``-`` (remove it): then the stored list changes by
those items only. The lists that take this are a fact's ``about`` and ``source``
and a dispute's ``parties`` and ``areas``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.arguments import UsageError, split_list, subjects
from bot.curation.problems import suggestion
from bot.errors import CurationError

EDITED_LISTS = frozenset({"about", "source", "parties", "areas"})
"""The parameters whose items may be added or removed one at a time."""


@dataclass(frozen=True, slots=True)
class ListEdit:
    """Items to add to and keys to remove from a stored list (removals happen first)."""

    name: str
    added: tuple[Any, ...]
    removed: tuple[str, ...]

    def applied(self, stored: object) -> list[Any]:
        """The stored list (a bare key counts as a list of one) with this edit made.

        Raises `CurationError` for a removal of something the list does not hold,
        or an addition of something it already holds.
        """
        if isinstance(stored, list | tuple):
            items = list(stored)
        else:
            items = [] if stored is None else [stored]
        for key in self.removed:
            present = [_key(item) for item in items]
            if key not in present:
                raise CurationError(
                    f"`{self.name}:` cannot remove '{key}', which is not in the list "
                    f"({_shown(present)}){suggestion(key, present)}"
                )
            items = [item for item in items if _key(item) != key]
        for item in self.added:
            if _key(item) in (_key(held) for held in items):
                raise CurationError(
                    f"`{self.name}:` '{_key(item)}' is already in the list; to change it, "
                    f"remove it and add it again (`{self.name}:-{_key(item)},+{_key(item)}…`)"
                )
            items.append(item)
        return items


def parsed_list(name: str, text: str) -> list[Any] | ListEdit:
    """A typed list: the new list, or a `ListEdit` when every item starts with + or -.

    Raises `UsageError` when some items have a sign and others do not.
    """
    items = split_list(text)
    signed = [item[:1] in ("+", "-") for item in items]
    if not any(signed) or name not in EDITED_LISTS:
        return _items(name, ",".join(items))
    if not all(signed):
        raise UsageError(
            f"`{name}:` mixes items with + or - and items without: either give the whole "
            f"new list, or start every item with + (add) or - (remove), like "
            f"`{name}:+a,-b`"
        )
    added = _items(name, ",".join(item[1:] for item in items if item.startswith("+")))
    removed = tuple(item[1:].strip() for item in items if item.startswith("-"))
    if any(not key for key in removed) or len(added) < sum(i.startswith("+") for i in items):
        raise UsageError(f"`{name}:` has a + or - with nothing after it")
    return ListEdit(name, tuple(added), tuple(key.partition("=")[0] for key in removed))


def _items(name: str, text: str) -> list[Any]:
    return subjects(text) if name == "about" else split_list(text)


def _key(item: object) -> str:
    return str(item["entity"]) if isinstance(item, dict) else str(item)


def _shown(keys: Sequence[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys) if keys else "it is empty"


def whole_lists(values: dict[str, Any] | Any, *names: str) -> None:
    """Refuse + and - items where there is no stored list to change (a new record)."""
    for name in names:
        if isinstance(values.get(name), ListEdit):
            raise UsageError(
                f"`{name}:` with + or - changes a stored list; a new record takes the whole "
                f"list, like `{name}:a,b`"
            )
