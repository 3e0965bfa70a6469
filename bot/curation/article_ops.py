"""``curate article``: a news article (an attached file, a URL or pasted text) becomes a
draft import file to review; nothing is written to the store's records.

The draft is the drafting engine's (`bot.drafting`), made against the names the
store knows. On Discord it is saved for review (`bot.store.drafts`) and shown with
the buttons `View.DRAFT` declares; everywhere its YAML comes attached, to edit and
import with ``curate import`` (or ``diplobot import``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.core.answer import Answer, Attachment, Status
from bot.core.arguments import Arg, Param, UsageError
from bot.curation.operations import Desk, Form, FormField, View, operation
from bot.store import drafts

if TYPE_CHECKING:
    from bot.drafting import Article, Draft

PASTE_MAX = 4000
"""The longest text the paste form takes (Discord's limit on one form field)."""
INPUTS = ("file", "url", "text")
"""The ways to give the article, exactly one of which is used."""
ONE_INPUT = (
    "Give the article one way: attach it as a file, give its url, or paste its text "
    "(with `/curate article`)."
)

ARTICLE_FORM = Form(
    "Paste an article",
    (
        FormField("text", "The article's text, as published", True, PASTE_MAX, long=True),
        FormField("title", "Its title (optional)", False, 500),
        FormField("outlet", "Its outlet, like Reuters (optional)", False, 200),
        FormField("published", "Published: YYYY-MM-DD (optional)", False, 40),
    ),
    unless=frozenset({"file", "url"}),
)
"""The form ``/curate article`` opens when neither a file nor a url is given."""


@operation(
    "article",
    "Draft facts from a news article (an attached HTML or text file, a URL, or pasted "
    "text) to review and import.",
    "curate article https://example.com/news/ministers-meet.html",
    Param("file", "The article as an HTML or text file", required=False, type=Arg.FILE),
    Param("url", "The article's address (http or https)", required=False, type=Arg.TEXT),
    Param("text", "The article's text, pasted", required=False, type=Arg.LONG_TEXT, named=True),
    Param(
        "title",
        "Its title, when the article does not say",
        required=False,
        type=Arg.TEXT,
        named=True,
    ),
    Param(
        "outlet",
        "Its outlet, when the article does not say",
        required=False,
        type=Arg.TEXT,
        named=True,
    ),
    Param(
        "published", "When it was published: YYYY-MM-DD", required=False, type=Arg.DATE, named=True
    ),
    writes=False,
    form=ARTICLE_FORM,
    view=View.DRAFT,
    follow="import",
)
def article(desk: Desk, values: Mapping[str, Any]) -> Answer:
    from bot.drafting import make_draft  # its extraction libraries take 0.4 s to import

    given = [name for name in INPUTS if values.get(name) is not None]
    if len(given) != 1:
        raise UsageError(ONE_INPUT)
    read = _read(desk, values, given[0])
    draft = make_draft(read, desk.library.known_names())
    number: int | None = None
    if desk.actor.id is not None:
        number = drafts.save(
            desk.library.store,
            draft.to_document(),
            owner_id=desk.actor.id,
            owner_name=desk.actor.name,
            guild_id=desk.actor.guild_id,
            title=str(draft.source.get("title", "")),
        ).id
    return _answer(draft, number)


def _read(desk: Desk, values: Mapping[str, Any], how: str) -> Article:
    """The article given the way ``how`` names, with the metadata typed over the page's."""
    from bot.drafting import fetch_url, read_article

    meta = {name: values.get(name) for name in ("title", "outlet", "published")}
    if how == "file":
        _, data = values["file"]
        return read_article(data, **meta)
    if how == "text":
        return read_article(str(values["text"]).encode("utf-8"), **meta)
    url = str(values["url"])
    if not url.casefold().startswith(("http://", "https://")):
        raise UsageError(f"`{_clip(url)}` is not a web address; give one starting with https://")
    body, content_type, final = fetch_url(url, allow_private=desk.library.allow_private_urls)
    return read_article(body, url=final, content_type=content_type, **meta)


def draft_filename(source: Mapping[str, Any]) -> str:
    """The file a draft of source is saved as: ``draft-<source key>.yaml``."""
    return f"draft-{source.get('key', 'article')}.yaml"


def _answer(draft: Draft, number: int | None) -> Answer:
    source = draft.source
    filename = draft_filename(source)
    details = ", ".join(
        str(part) for part in (source.get("outlet"), source.get("published")) if part
    )
    people = _count(len(draft.entities), "new entity", "new entities")
    facts = _count(len(draft.facts), "fact", "facts")
    shown = f"“{source.get('title', '')}”" + (f" ({details})" if details else "")
    notice = (
        f"Drafted {people} and {facts} from {shown}. The draft is {filename}: "
        f"review it, then `diplobot import {filename}`."
    )
    lines = [
        f"new {entity['kind']}: {entity['name']} ({entity['key']})" for entity in draft.entities
    ]
    return Answer(
        article.command,
        "",
        Status.FOUND,
        title=f"Draft: {source.get('title', '')}",
        notice=notice,
        lines=tuple(lines),
        attachment=Attachment(filename, draft.to_yaml().encode("utf-8")),
        draft=number,
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
