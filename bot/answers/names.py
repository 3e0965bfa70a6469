"""``!names TEXT``: every entity in the store that a text names, most mentioned first.

The same answer backs the "Names in this message" context menu on Discord
(`bot.chat.names_menu`) and ``diplobot names FILE``. The text may be a whole Discord
message (4,000 characters), not a 200-character query, so it has its own check.

The answer lists each name on one line, "Name (kind) — summary", in ``lines``;
the entities themselves, keyed, are its one `Related` group, for JSON readers
and for the Discord layer's menu that opens each card. (Not ``suggestions``:
those are "did you mean" candidates, and their buttons would run ``!names``
again with the key.)
"""

from __future__ import annotations

from bot.answers.catalog import Catalog
from bot.answers.commands import Translation, command
from bot.core.answer import Answer, EntityRef, Related, Status
from bot.core.arguments import Arg, Param
from bot.core.controls import is_control
from bot.errors import QueryError
from bot.search.mentions import Mention

NAME = "names"
MAX_TEXT = 4000
"""The longest text read, in characters: Discord's longest message."""
TITLE = "Names in this text"
RELATED_LABEL = "Names"

_LINE_BREAKS = "\n\r\t"


def check_text(text: str) -> str:
    """The text stripped of surrounding space, or `QueryError` if names cannot be read from it.

    Line breaks and tabs are kept (a message has them); other control characters
    are refused, as lookups refuse them.
    """
    stripped = text.strip()
    if len(stripped) > MAX_TEXT:
        raise QueryError(
            f"That text is {len(stripped):,} characters long; keep it to {MAX_TEXT:,} at most."
        )
    if any(is_control(char, keep=_LINE_BREAKS) for char in stripped):
        raise QueryError("That text contains control characters; paste plain text.")
    if not any(char.isalnum() for char in stripped):
        raise QueryError("That text has no letters or digits to find names in.")
    return stripped


def line(ref: EntityRef) -> str:
    """One name as the answer lists it: "Name (kind) — summary"."""
    head = f"{ref.name} ({ref.kind})"
    return f"{head} — {ref.summary}" if ref.summary else head


def names_answer(catalog: Catalog, text: str, *, title: str = TITLE, what: str = "text") -> Answer:
    """Every entity text names, most mentioned first (text already checked by `check_text`);
    ``what`` the text is, for the notice when it names nothing."""
    mentions: list[Mention] = catalog.mentions.find(text)
    refs = tuple(catalog.entity(mention.entity).ref for mention in mentions)
    if not refs:
        return Answer(
            NAME,
            text,
            Status.NOT_FOUND,
            title=title,
            notice=f"The {what} names nothing the store knows.",
        )
    count = f"{len(refs)} name" if len(refs) == 1 else f"{len(refs)} names"
    return Answer(
        NAME,
        text,
        Status.FOUND,
        title=title,
        notice=f"{count} the store knows, most mentioned first.",
        lines=tuple(line(ref) for ref in refs),
        related=(Related(RELATED_LABEL, refs),),
    )


@command(
    NAME,
    "Everything in the store that a text names, in any script, most mentioned first.",
    "!names Nozdrev warned Japan over Patriot missiles for Ukraine",
    Param(
        "text",
        f"The text to read, up to {MAX_TEXT:,} characters",
        free_text=True,
        type=Arg.LONG_TEXT,
    ),
    translations=(
        Translation(
            "ru",
            "имена",
            "Все записи базы, названные в тексте, на любом языке; сначала самые частые.",
            {"text": ("текст", "Текст, в котором искать имена")},
        ),
        Translation(
            "ja",
            "名前一覧",
            "文章に出てくる登録済みの名前をすべて表示（多い順）。",
            {"text": ("本文", "名前を探す文章")},
        ),
    ),
)
def names(catalog: Catalog, text: str) -> Answer:
    return names_answer(catalog, check_text(text))


def names_of(catalog: Catalog, text: str) -> Answer:
    """The ``!names`` answer for a whole text (``diplobot names FILE``); a text names cannot
    be read from is answered with status ``error``, as a lookup is."""
    try:
        return names(catalog, text)
    except QueryError as error:
        return Answer(NAME, text.strip(), Status.ERROR, notice=str(error))
