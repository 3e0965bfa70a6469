"""Problems found in a curation file, in a curator's words: how values are quoted and
described, the closest key suggested, and the capped list a refusal shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from rapidfuzz import fuzz, process

from bot.errors import ImportFileError


def describe(value: object) -> str:
    """What a wrongly typed value is, in a curator's words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false (put it in quotes to make it text)"
    if isinstance(value, int | float):
        return "a number (put it in quotes to make it text)"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date (put it in quotes to make it text)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def suggestion(word: str, choices: Sequence[str], cutoff: float = 75.0) -> str:
    """`` (did you mean 'x'?)`` for the closest choice to word, or nothing when none is close."""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return f" (did you mean '{best[0]}'?)" if best is not None else ""


QUOTE_MAX = 80
"""The most characters of a value a problem quotes; a longer one is cut, marked with ``…``."""
PROBLEMS_SHOWN = 50
"""The most problems a refusal lists; it then says how many more there are."""
_PROBLEM_MAX = 400
"""The longest problem line, whatever it quotes."""


def clip(text: str, limit: int = QUOTE_MAX) -> str:
    """text, cut to limit characters with ``…`` when it is longer."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def quote(value: object) -> str:
    """A value as problems quote it: in single quotes, at most `QUOTE_MAX` characters of it."""
    return f"'{clip(str(value))}'"


def problem_line(place: str, message: str) -> str:
    return clip(f"{place}: {message}" if place else message, _PROBLEM_MAX)


class Problems(list[str]):
    """The problems `validate` found, in file order: the first `PROBLEMS_SHOWN` of them,
    and in ``total`` how many there were in all."""

    def __init__(self, first: Iterable[str], total: int) -> None:
        super().__init__(first)
        self.total = total


class FileProblems(ImportFileError):
    """`ImportFileError` for a file with any number of problems, listing the first few.

    ``problems`` holds the first `PROBLEMS_SHOWN`, each at most a few hundred
    characters, then ``… and 99,950 more problems`` when there are more;
    ``total`` counts them all, and the message's first line gives that count.
    """

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        shown = [clip(problem, _PROBLEM_MAX) for problem in problems[:PROBLEMS_SHOWN]]
        total = problems.total if isinstance(problems, Problems) else len(problems)
        more = total - len(shown)
        if more:
            shown.append(f"… and {more:,} more problem{'' if more == 1 else 's'}")
        super().__init__(path, shown)
        self.total = total
        noun = "problem" if self.total == 1 else "problems"
        listing = "\n".join(f"  {problem}" for problem in shown)
        self.args = (f"{path}: {self.total:,} {noun}, nothing was imported:\n{listing}",)
