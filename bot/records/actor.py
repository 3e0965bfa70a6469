"""Who makes a change to the store, as the revision log records it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, as the revision log records it."""

    id: str | None
    name: str
    guild_id: str | None = None
    guild_name: str | None = None

    @classmethod
    def console(cls) -> Actor:
        """The person at the command line."""
        return cls(None, "console")
