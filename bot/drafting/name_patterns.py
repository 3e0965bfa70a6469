"""Patterns of English news prose around a name: runs of capitalised words, a verb of
saying after or before, a phrase in apposition, a diplomat's post, a name in another
script. They describe news prose in general, not any one article."""

from __future__ import annotations

import re

from bot.drafting.cues import CONNECTORS, SPEECH_VERBS

UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
TOKEN = (
    rf"(?:[{UPPER}][\w]*(?:[-'’](?!s\b)[\w]+)*(?:\.|(?<=s)['’](?=\s+[{UPPER}]))?"
    rf"|(?:al|el|bin)-[{UPPER}]\w+)"
)
RUN = re.compile(rf"{TOKEN}(?:\s+(?:(?:{'|'.join(sorted(CONNECTORS))})\s+){{0,3}}{TOKEN})*")
WORDS = re.compile(r"\S+")
POSTED_TO = re.compile(
    r"\b(?i:ambassador|envoy|representative|consul|emissary|attach[eé])s?\s+(?:to|in|at)\s+"
    r"(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){1,4}$"
)
"""A diplomat's post before a name: "French Ambassador to Russia Pierre Levy"."""
OPENING = re.compile(r"[\s\"“‘'«(\[]*")
"""What may come before a sentence's first word: space, quotation marks, brackets."""
SPEECH_AFTER = re.compile(
    r"^(?:\s*\([^()]{1,60}\))?(?:(?:\s*,[^,\"“”]{1,90}){1,2},)?"
    rf"(?:\s+of\s+(?:the\s+)?[{UPPER}][\w'’-]*(?:\s+[{UPPER}][\w'’-]*){{0,5}})?"
    rf"\s+(?:has\s+|had\s+|also\s+|later\s+|then\s+)?(?:{SPEECH_VERBS})\b"
)
SPEECH_AFTER_APPOSITIVE = re.compile(
    rf"^(?:\s*\([^()]{{1,60}}\))?\s*,\s+(?:has\s+|had\s+|also\s+)?(?:{SPEECH_VERBS})\b"
)
"""'Its director, X, said': a name set off by commas, then the verb."""
SPEECH_BEFORE = re.compile(r"\b(?:said|says|added|according\s+to|quoted)\s+(?:the\s+)?$")
APPOSITION_AFTER = re.compile(
    rf"^,\s+((?:the|a|an|[{UPPER}][\w.-]*(?:'s|’s)|[a-z])[^,.;:\"“”()]{{2,90}}?)\s*(?=[,.;])"
)
APPOSITION_HEAD = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[{UPPER}][\w.-]*(?:'s|’s))\s"
)
APPOSITION_BODY = re.compile(r"([^,.;:\"“”()]{2,100}?),\s+")

NATIVE = re.compile(r"\s*\(([^()\x00-\u024f]{2,60})\)")
"""A name in another script, in brackets after the Latin one: "Zhou Mingyuan (周明远)"."""
APPOSITION_LEAD = re.compile(r"(?:[,;:]|\b(?:and|with|met|said|says|by))\s*$")
