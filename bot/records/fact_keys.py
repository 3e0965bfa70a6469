"""The keys of facts given without one: meaningful, unique, and never changing a stored one.

`derive_fact_key` makes a key from what a fact is about, when and what it says
(``jake-sullivan-2023-09-meets-wang``). `FactKeys` gives each keyless fact of a
file or a command its key: the stored fact's when the store already has one with
the same text and date, else the derived key, with a short hash of the text and
date added only when that key is taken.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from bot.records.reader import chunks
from bot.records.shapes import KEY_MAX
from bot.store.models import Fact, date_text

ENTITY_PART_MAX = 40
"""The most characters of the first entity's key a derived key keeps."""
CONTENT_WORDS = 2
"""How many of the text's own words a derived key keeps."""
_COMMON = """a about after against all also an and any are as at be been before being between
but by can could did do does during for from had has have he her his if in into is it its may
might more most new not of on or our over said says she should so than that the their them
then there these they this those to under until up was we were what when which while who will
with would end start early late year month week day today yesterday last next first"""
_STOP_WORDS = frozenset(_COMMON.split())
"""Words too common to say what a fact is about."""
Identity = tuple[str, str | None]
"""A fact's text and its date as files write it: what a keyless fact is known by."""


def _words(text: str) -> list[str]:
    """The ASCII words of text once accents are taken off (stdlib only, so keys cannot
    drift with a transliteration library)."""
    text = text.replace("’", "'")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’]s\b", "", plain).replace("'", "")  # "Japan's" → "japan"
    return re.findall(r"[a-z0-9]+", plain)


def digest(text: str, date: str | None) -> str:
    """Six hex digits of a hash of a fact's text and date."""
    return hashlib.blake2b(f"{text}\n{date or ''}".encode(), digest_size=3).hexdigest()


def derive_fact_key(text: str, date: str | None, about: Sequence[str] = ()) -> str:
    """A key that says what a fact is: its first entity's key, its date, and the first two
    words of its text that are neither common words, numbers, nor in that key.

    ``jake-sullivan-2023-09-meets-wang`` for "Jake Sullivan meets Wang Yi…" dated
    ``2023-09`` about ``jake-sullivan``. The same text, date and entities always
    give the same key. Text with no ASCII words (another script) gets a hash of
    text and date instead; a fact about nothing starts with ``fact``.
    """
    entity = "-".join(_words(about[0]))[:ENTITY_PART_MAX].strip("-") if about else ""
    taken = set(entity.split("-"))
    content = [
        w for w in _words(text) if w not in _STOP_WORDS and w not in taken and not w.isdigit()
    ]
    words = "-".join(content[:CONTENT_WORDS]) or digest(text, date)
    parts = [entity or "fact", date or "", words]
    return "-".join(part for part in parts if part)[: KEY_MAX - len("-abcdef-99")].strip("-")


class FactKeys:
    """Hands out the keys of keyless facts, one file or command at a time.

    stored_keys are every fact key in the store; stored maps the text and date of
    stored facts that may come again (those with the texts being keyed) to their
    key. A key handed out is taken for the rest of the file.
    """

    def __init__(
        self, stored_keys: Collection[str] = (), stored: Mapping[Identity, str] | None = None
    ) -> None:
        self._taken = set(stored_keys)
        self._known: dict[Identity, str] = dict(stored or {})

    def reserve(self, keys: Iterable[str]) -> None:
        """Keys given in the file itself, which no derived key may take."""
        self._taken.update(keys)

    def key_for(self, text: str, date: str | None, about: Sequence[str]) -> str:
        """The key of a keyless fact: the stored or earlier fact's with the same text and
        date, else `derive_fact_key`'s, with ``-`` and `digest` added when that is taken."""
        identity = (text, date)
        if identity in self._known:
            return self._known[identity]
        base = derive_fact_key(text, date, about)
        key = base
        if key in self._taken:
            key = f"{base}-{digest(text, date)}"
        number = 2
        while key in self._taken:
            key, number = f"{base}-{digest(text, date)}-{number}", number + 1
        self._taken.add(key)
        self._known[identity] = key
        return key


def read_fact_keys(session: Session, texts: Collection[str]) -> FactKeys:
    """The store's fact keys, and the keys of stored facts with any of texts."""
    stored: dict[Identity, str] = {}
    for chunk in chunks(sorted(set(texts))):
        rows = session.exec(
            select(col(Fact.key), col(Fact.text), col(Fact.happened), col(Fact.precision)).where(
                col(Fact.text).in_(chunk)
            )
        ).all()
        for key, text, happened, precision in rows:
            when = date_text(happened, precision) if happened and precision else None
            stored.setdefault((text, when), key)
    return FactKeys(session.exec(select(Fact.key)).all(), stored)


def keys_for_fact(session: Session, raw: Mapping[str, Any]) -> FactKeys | None:
    """The `FactKeys` one fact in the file shape needs: None when it gives its key."""
    text = raw.get("text")
    if raw.get("key") is not None or not isinstance(text, str):
        return None
    return read_fact_keys(session, [text])


__all__ = ["FactKeys", "Identity", "derive_fact_key", "digest", "keys_for_fact", "read_fact_keys"]
