"""An article's bytes → its main text and metadata (`Article`), or one line saying why not.

HTML and plain text are told apart by content. The main text of a page comes from
trafilatura (comments and tables off), so navigation, related-story lists, cookie
notices and comment forms stay out; `<script>` and `<style>` never reach it. Bylines,
photo credits and other furniture that sit inside the article body are dropped a
paragraph at a time (`is_furniture`).
"""

from __future__ import annotations

import re
from configparser import ConfigParser
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import use_config

from bot.drafting.decoding import decode, looks_like_html
from bot.drafting.metadata import PageMeta, normalize_published, read_meta
from bot.errors import DraftError

NO_TEXT = "found no article text"


@dataclass(frozen=True)
class Article:
    """What a draft is made from: the main text (paragraphs split by blank lines) and
    the metadata the page gives, each None when it gives none."""

    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    text: str


_FURNITURE = re.compile(
    r"""^\(?\s*(?:reporting|writing|editing|additional\s+reporting|compiled|translated|
        graphics|produced|edited|photos?|video)\s+by\b
    | ^(?:by|por|par|von|door|di)\s+(?-i:[A-Z]\S*(?:\s+[A-Z]\S*){1,3})(?:\s*[,|/–—·•-]\s*[^.!?]*)?$
    | (?-i:\b(?:REUTERS|AFP|AP|EPA|Getty\s+Images|Xinhua|Bloomberg)\s*/)
    | (?-i:/\s*(?:REUTERS|AFP|AP|EPA|Getty|Xinhua)\b)
    | \bAP\s+Photo\b | \bvia\s+Getty\s+Images\b
    | \b(?:photo|image|picture|foto)s?\s*(?:credit|source|caption)?\s*:|^credits?\s*:
    | ©|\(c\)\s*\d{4}|\bcopyright\s+(?:\d{4}|©|\(c\))|\ball\s+rights\s+reserved\b
    | \bcookies?\b|\bprivacy\s+(?:policy|notice|settings)\b|\bterms\s+of\s+(?:use|service)\b
    | \bsubscribe\b(?!\s+to\s+(?:the|a|an|its|their)\s+(?!newsletter))
    | ^sign\s+(?:up|in)\b|\bnewsletter\b|^log\s+in\b|\balready\s+a\s+subscriber
    | ^advertisement$|^read\s+more\b|^related(?:\s+\w+){0,2}\s*:?$|^related\s*:|^see\s+also\b
    | ^more\s+from\b|^share\b|^follow\s+us\b
    | \b(?:post|leave|add|write)\s+(?:a\s+|your\s+)?(?:comment|reply)\b
    | \bcomments?\s+(?:policy|below|section|are\s+closed)\b
    | \btrust\s+principles\b|^(?:updated|published|posted|last\s+updated)\s*(?::|on\b|\d)
    | \bclick\s+here\b|\bdownload\s+(?:our|the)\s+app\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
FURNITURE_WORDS = 45
"""Only a short paragraph is judged furniture by its words; a long one is prose."""


def is_furniture(paragraph: str) -> bool:
    """Whether a paragraph is page furniture: a byline, a photo credit, a notice."""
    if len(paragraph.split()) > FURNITURE_WORDS:
        return False
    return _FURNITURE.search(paragraph.strip()) is not None


_PROSE = re.compile(r"(?:\S+\s+){2,}\S*[.!?…][\"'”’)]*\s*$|(?:\S+\s+){11,}\S+")
"""A paragraph that reads as prose: three words or more ending as a sentence ends, or
twelve words or more."""


def _clean_text(text: str) -> str:
    """Paragraphs of text, one per line or block, without furniture, blank-line separated."""
    kept = []
    for line in re.split(r"\n", text):
        line = " ".join(line.split())
        if line and not is_furniture(line):
            kept.append(line)
    return "\n\n".join(kept)


def _config() -> ConfigParser:
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "20")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _config()


def _main_text(html: str) -> str:
    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
        output_format="txt",
        config=_CONFIG,
    )
    return _clean_text(text or "")


def _from_html(html: str, url: str | None) -> tuple[PageMeta, str]:
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as error:
        raise DraftError(f"the page could not be read as HTML ({error})") from None
    return read_meta(tree, url), _main_text(html)


_HEADLINE = re.compile(r"(?=.{1,200}$)(?:\S+\s+){0,24}\S*[^.\s]")
"""A first line that reads as a headline: short, not ending in a full stop."""


def _from_text(text: str, url: str | None) -> tuple[PageMeta, str]:
    """Plain text: the first line is the title when a blank line follows it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = None
    first = " ".join(lines[0].split()) if lines else ""
    if len(lines) > 2 and _HEADLINE.fullmatch(first) and not lines[1].strip():
        title = " ".join(lines[0].split())
        lines = lines[2:]
    body = "\n".join(lines)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", body)]
    kept = [p for p in paragraphs if p and not is_furniture(p)]
    return PageMeta(title, None, url, None), "\n\n".join(kept)


def read_article(
    data: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    url_override: str | None = None,
    published: str | None = None,
) -> Article:
    """The article in data (HTML or plain text, told by content), its metadata overridden
    by the keywords given. Raises DraftError, one line, for what cannot be drafted."""
    text = decode(data, content_type)
    meta, body = _from_html(text, url) if looks_like_html(text) else _from_text(text, url)
    first, _, rest = body.partition("\n\n")
    if first.strip() in (meta.title, title):
        body = rest  # the headline repeated as the first paragraph
    if not any(_PROSE.search(paragraph) for paragraph in body.split("\n\n")):
        raise DraftError(NO_TEXT)  # menus and buttons, no sentence
    stamp = meta.published
    if published is not None:
        stamp = normalize_published(published)
        if stamp is None:
            raise DraftError(f"--published {published!r} is not a date or an ISO time")
    return Article(
        title=title or meta.title,
        outlet=outlet or meta.outlet,
        url=url_override or meta.url,
        published=stamp,
        text=body,
    )
