"""Turning an article's bytes into text, or refusing them in one line.

Refused: more than `MAX_BYTES`, nothing but white space, files that announce
themselves as binary by their first bytes (PDF, images, archives, executables),
and text with too many control characters to be prose. The charset comes from a
byte order mark, then the HTTP header, then the page's own ``<meta>`` declaration,
then UTF-8 if it decodes, then charset_normalizer's detection.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from bot.errors import DraftError

MAX_BYTES = 5 * 1024 * 1024
"""The largest article read or fetched: 5 MiB."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"%!PS", "a PostScript file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
    (b"fLaC", "an audio file"),
    (b"\xd0\xcf\x11\xe0", "an office document"),
    (b"{\\rtf", "an RTF document"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "an audio file", b"AVI ": "a video"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "latin-1", "us-ascii", "ascii", "iso8859-1"})

CONTROL_RATIO = 0.01
"""More control characters than this share of the text, and it is not prose."""


def check_bytes(data: bytes) -> None:
    """Refuse data that is too large, empty, or binary by its first bytes."""
    if len(data) > MAX_BYTES:
        raise DraftError(f"the article is over 5 MiB ({len(data):,} bytes); nothing was drafted")
    if not data.strip():
        raise DraftError("the article is empty")
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise DraftError(f"this is {what}, not an article: give an HTML page or text")
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        what = _RIFF_KINDS[head[8:12]]
        raise DraftError(f"this is {what}, not an article: give an HTML page or text")


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset name, or None if unknown."""
    if not name:
        return None
    name = name.strip().lower()
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"  # what browsers read these labels as
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared(data: bytes, content_type: str | None) -> list[str]:
    """The charsets the bytes declare, most authoritative first."""
    found: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            return [name]
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(data[:4096])
    for label in [
        header.group(1) if header else None,
        meta.group(1).decode("ascii", "replace") if meta else None,
    ]:
        if (codec := _codec(label)) is not None:
            found.append(codec)
    return found


def decode(data: bytes, content_type: str | None = None) -> str:
    """The text of data, in its declared or detected charset, checked to be prose."""
    check_bytes(data)
    text: str | None = None
    for codec in [*_declared(data, content_type), "utf-8"]:
        try:
            text = data.decode(codec)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise DraftError("the article is not text in any charset diplobot can read")
        text = str(best)
    text = text.lstrip("\ufeff")
    if len(_CONTROL.findall(text)) > CONTROL_RATIO * max(len(text), 1):
        raise DraftError("this is a binary file, not an article: give an HTML page or text")
    if not text.strip():
        raise DraftError("the article is empty")
    return text


_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*(?:<!doctype\s+html|<html))",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"<(?:p|div|article|body|title|meta|h1|section|br)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML page (told by its content, never by a file name)."""
    if _HTML_START.match(text[:4096]):
        return True
    return len(_HTML_TAGS.findall(text[:8192])) >= 2
