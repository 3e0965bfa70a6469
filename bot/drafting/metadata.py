"""A page's own metadata: title, outlet, address and publication time.

Read from the parsed page (lxml), in this order:

- title: og:title, else ``<title>`` without the site's " | Outlet" suffix, else the h1;
- outlet: og:site_name, else the publisher in the page's JSON-LD; never guessed;
- url: the canonical link, else og:url, else the address it was fetched from;
- published: article:published_time (or another publication meta tag), else JSON-LD
  datePublished, else what htmldate finds in the page's markup. A time keeps the
  offset the page gives; a time without an offset, or a date alone, stays a date.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement


@dataclass(frozen=True)
class PageMeta:
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None


_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.created",
    "date",
)
_ARTICLE_TYPES = ("article", "newsarticle", "reportagenews", "blogposting", "report", "webpage")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ")


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _meta(tree: HtmlElement, *names: str) -> str | None:
    """The content of the first meta tag (by property, name or itemprop) among names."""
    wanted = {name.lower() for name in names}
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            label = (element.get(attribute) or "").strip().lower()
            if label in wanted and label not in values and content.strip():
                values[label] = content
    for name in names:
        if name.lower() in values:
            return _text(values[name.lower()])
    return None


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, flattened out of lists and @graph."""
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph"))

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            walk(json.loads(script.text_content() or ""))
        except ValueError:
            continue
    return found


def _types(node: dict[str, Any]) -> Iterator[str]:
    kind = node.get("@type")
    for item in kind if isinstance(kind, list) else [kind]:
        if isinstance(item, str):
            yield item.lower()


def _ld_articles(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    articles = [node for node in nodes if any(t in _ARTICLE_TYPES for t in _types(node))]
    articles.sort(key=lambda node: "webpage" in _types(node))  # articles before pages
    return articles


def _ld_publisher(articles: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> str | None:
    """The publisher's name, inline or by its @id elsewhere in the page's JSON-LD."""
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in articles:
        publisher = node.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and "name" not in publisher:
            publisher = by_id.get(str(publisher.get("@id")), publisher)
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return _text(publisher["name"])
        if isinstance(publisher, str):
            return _text(publisher)
    return None


def _strip_suffix(title: str, outlet: str | None, *, loose: bool) -> str:
    """title without a trailing " - Outlet" naming the outlet, or (loose, for a
    ``<title>``) any short " | Site" tail."""
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if not head.strip():
            continue
        if outlet and tail.strip().casefold() == outlet.casefold():
            return head.strip()
        if loose and separator == " | " and len(tail.split()) <= 4:
            return head.strip()
    return title


def normalize_published(value: str | None) -> str | None:
    """An ISO publication time with its own offset, or a date alone; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            day = re.match(r"(\d{4}-\d{2}-\d{2})", value)
            return day.group(1) if day else None
    if moment.tzinfo is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return moment.date().isoformat()
    return moment.isoformat()


def _published(tree: HtmlElement, articles: list[dict[str, Any]]) -> str | None:
    for value in [
        _meta(tree, *_PUBLISHED_META),
        *(node.get("datePublished") for node in articles),
        *(time.get("datetime") for time in tree.iter("time") if time.get("pubdate") is not None),
    ]:
        if isinstance(value, str) and (found := normalize_published(value)):
            return found
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises on odd markup; a missing date is the answer then
        return None
    if not isinstance(found, str):
        return None
    for time in tree.iter("time"):  # the same day written with its time and offset
        full = normalize_published(time.get("datetime"))
        if full and full.startswith(found) and len(full) > len(found):
            return full
    return found


def _heading(tree: HtmlElement) -> str | None:
    for h1 in tree.iter("h1"):
        if text := _text(h1.text_content()):
            return text
    return None


def _address(tree: HtmlElement, fetched: str | None) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            return _absolute(link.get("href", ""), fetched)
    og = _meta(tree, "og:url")
    if og:
        return _absolute(og, fetched)
    return fetched


def _absolute(href: str, base: str | None) -> str | None:
    href = href.strip()
    address = urljoin(base, href) if base else href
    return address if urlsplit(address).scheme in ("http", "https") else base


def read_meta(tree: HtmlElement, fetched_url: str | None) -> PageMeta:
    """The page's title, outlet, address and publication time, each None if it has none."""
    nodes = _json_ld(tree)
    articles = _ld_articles(nodes)
    outlet = _meta(tree, "og:site_name") or _ld_publisher(articles, nodes)
    title = _meta(tree, "og:title", "twitter:title")
    if title is not None:
        title = _strip_suffix(title, outlet, loose=False)
    else:
        page_title = tree.find(".//title")
        title = _text(page_title.text_content()) if page_title is not None else None
        title = _strip_suffix(title, outlet, loose=True) if title else None
        heading = _heading(tree)
        rest = title[len(heading) :] if title and heading and title.startswith(heading) else ""
        if any(rest.startswith(separator) for separator in _SEPARATORS):
            title = heading  # "<h1> - Ministry for Foreign Affairs": the site's suffix
    if title is None:
        headline = next(
            (n["headline"] for n in articles if isinstance(n.get("headline"), str)), None
        )
        title = _text(headline) or _heading(tree)
    return PageMeta(title, outlet, _address(tree, fetched_url), _published(tree, articles))
