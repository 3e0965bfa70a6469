"""Reading one query as several entity names: "russia japan", "japan and russia"."""

from __future__ import annotations

import re

from bot.answers.catalog import Catalog

_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\+|/|\||;|\band\b|\bvs\.?|\bversus\b)\s*", re.IGNORECASE)


def split_names(catalog: Catalog, text: str, count: int | None = None) -> list[str] | None:
    """Read text as several entity names ("russia japan", "japan and russia").

    Explicit separators are tried first, then every way of cutting the words into
    consecutive names. Returns the entity keys when every part is found, else None.
    """
    parts = [part for part in _NAME_SEPARATORS.split(text) if part]
    if len(parts) > 1:
        keys = [_found(catalog, part) for part in parts]
        return (
            [k for k in keys if k] if all(keys) and (count is None or len(keys) == count) else None
        )
    words = text.split()
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        hits = [catalog.resolve(left), catalog.resolve(right)]
        if all(h.best for h in hits):
            worst = min(h.best.score for h in hits if h.best)
            if best is None or worst > best[0]:
                best = (worst, [h.best.entity for h in hits if h.best])
    return best[1] if best else None


def _found(catalog: Catalog, text: str) -> str | None:
    resolution = catalog.resolve(text)
    return resolution.best.entity if resolution.best else None
