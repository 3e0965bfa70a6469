"""Curation files on disk and in hand: their type by extension, size limits, reading
them into plain data, and writing documents back out as YAML or JSON."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.curation.problems import FileProblems, problem_line, quote
from bot.curation.safe_yaml import TOO_DEEP, Unreadable, dump_yaml, load_yaml
from bot.curation.validate import section_lists
from bot.errors import ExportError, ImportFileError


def _file_type(path: Path) -> str | None:
    """The file's format by its extension: ``yaml``, ``json``, or None for any other."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if suffix == ".json" else None


def _unknown_type(path: Path) -> str:
    shown = f"'{path.suffix}'" if path.suffix else "without an extension"
    return f"unknown file type {shown} (use .yaml, .yml or .json)"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"{quote(key)} is given twice in one object")
        obj[key] = value
    return obj


def _parse(path: Path, text: str) -> object:
    """The data in text, raising `ImportFileError` where the syntax is broken."""
    try:
        return _parse_text(path, text)
    except RecursionError as error:
        raise ImportFileError(str(path), [TOO_DEEP]) from error


def _parse_text(path: Path, text: str) -> object:
    if _file_type(path) == "yaml":
        try:
            return load_yaml(text)
        except Unreadable as error:
            raise ImportFileError(str(path), [str(error)]) from error
        except yaml.MarkedYAMLError as error:
            if error.problem is not None and "maximum nesting depth" in error.problem:
                raise ImportFileError(str(path), [TOO_DEEP]) from error  # libyaml's own limit
            mark = error.problem_mark or error.context_mark
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise ImportFileError(str(path), [f"{where}{error.problem or error}"]) from error
        except yaml.YAMLError as error:
            raise ImportFileError(str(path), [f"not valid YAML: {error}"]) from error
    try:
        return json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise ImportFileError(str(path), [problem]) from error
    except ValueError as error:
        raise ImportFileError(str(path), [f"not valid JSON: {error}"]) from error


def read_document(path: str | Path) -> dict[str, Any]:
    """The plain data of a .yaml, .yml or .json curation file.

    Promises a mapping of known section names to lists (a section left empty is
    an empty list); anything else raises `ImportFileError` with the reason.
    The records themselves are checked by `validate`.
    """
    path = Path(path)
    if _file_type(path) is None:
        raise ImportFileError(str(path), [_unknown_type(path)])
    try:
        data = read_file_bytes(path)
    except OSError as error:
        raise ImportFileError(str(path), [f"cannot read the file: {error.strerror}"]) from error
    return _sections_of(path, data)


FILE_MAX_BYTES = 64 * 1024 * 1024
"""The largest curation file read from disk: 64 MiB, twice a year of heavy coverage
(50,000 entities and 100,000 facts make about 30 MB of JSON)."""

ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
"""The largest curation file taken as a Discord attachment: 8 MiB, below the 10 MiB
Discord lets any server upload."""


def _too_large(size: int, limit: int = FILE_MAX_BYTES) -> str:
    return f"the file is {size:,} bytes; at most {limit:,} are taken"


def _not_regular(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a pipe"),
        (stat.S_ISSOCK, "a socket"),
    ]
    what = next((name for test, name in kinds if test(mode)), "something else")
    return f"not a regular file ({what}); only a file is read"


def read_file_bytes(path: Path) -> bytes:
    """path's bytes, refusing anything but a regular file of at most `FILE_MAX_BYTES`.

    The file is opened without waiting (a pipe with no writer would block) and
    checked by what was opened, so a link to ``/dev/zero`` is refused before a
    byte is read; a file that grows while it is read is cut off just past the
    limit and refused.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise ImportFileError(str(path), [_not_regular(status.st_mode)])
        if status.st_size > FILE_MAX_BYTES:
            raise ImportFileError(str(path), [_too_large(status.st_size)])
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(FILE_MAX_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > FILE_MAX_BYTES:
        raise ImportFileError(
            str(path), [f"the file grew past {FILE_MAX_BYTES:,} bytes while it was read"]
        )
    return data


def read_bytes(name: str, data: bytes) -> dict[str, Any]:
    """`read_document` for a file's content already in hand, such as an attachment
    (at most `ATTACHMENT_MAX_BYTES`); ``name`` gives its type by extension and names
    it in problems."""
    path = Path(name)
    if _file_type(path) is None:
        raise ImportFileError(name, [_unknown_type(path)])
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ImportFileError(name, [_too_large(len(data), ATTACHMENT_MAX_BYTES)])
    return _sections_of(path, data)


def _sections_of(path: Path, data: bytes) -> dict[str, Any]:
    name = str(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(name, [f"not UTF-8 text (byte {error.start})"]) from error
    lists, problems = section_lists(_parse(path, text))
    if problems:
        raise FileProblems(name, [problem_line(place, message) for place, message in problems])
    return dict(lists)


def write_document(path: str | Path, doc: Mapping[str, Any]) -> None:
    """Write doc as YAML or JSON by path's extension; ``-`` writes YAML to standard output.

    Text is written as UTF-8 and kept readable (no escaping of non-ASCII
    letters); field order is kept as given.
    """
    path = Path(path)
    if str(path) == "-":
        sys.stdout.write(dump_yaml(doc))
        return
    file_type = _file_type(path)
    if file_type is None:
        raise ExportError(f"{path}: {_unknown_type(path)}")
    if file_type == "yaml":
        text = dump_yaml(doc)
    else:
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"{path}: cannot write the file: {error.strerror}") from error
