"""Properties of reading and checking curation files: any bytes, any JSON or YAML
shape, gives records or an `ImportFileError` with short problem lines, never another
exception or a hang."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from bot.curation.files import read_bytes
from bot.curation.validate import validate
from bot.errors import ImportFileError
from bot.records.shapes import SECTIONS
from bot.store.models import Kind
from tests.strategies import LONG, SHORT, long_text, texts, timed

PROBLEM_MAX = 400
"""The longest problem line a refusal may give."""

FIELDS = (
    *("key", "title", "outlet", "url", "published", "kind", "name", "aliases", "text"),
    *("lang", "summary", "wikidata", "date", "type", "about", "sources", "entity", "role"),
)
"""Field names the format knows, so generated records reach the deeper checks."""

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | texts
    | st.sampled_from([kind.value for kind in Kind])
    | st.sampled_from(["2024", "2024-02-30", "2024-03-24T06:21:00-04:00", "Q42", "en"])
)
keys = st.sampled_from(FIELDS) | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)
"""Any JSON shape, leaning towards the format's own field names."""
documents = json_values | st.dictionaries(
    st.sampled_from(SECTIONS) | texts,
    json_values | st.lists(st.dictionaries(keys, json_values, max_size=8), max_size=4),
    max_size=4,
)
"""Any JSON shape, or one with the format's sections holding records of any shape."""
KNOWN_ENTITIES = {"japan": "country", "kuril-islands-dispute": "dispute"}
KNOWN_SOURCES = ["reuters-2024"]


def check_refusal(error: ImportFileError) -> None:
    assert error.problems
    for problem in error.problems:
        assert len(problem) <= PROBLEM_MAX, problem[:200]


def check_read(name: str, data: bytes) -> None:
    try:
        lists = timed(read_bytes, name, data)
    except ImportFileError as error:
        check_refusal(error)
        return
    assert isinstance(lists, dict)
    _document, problems = timed(validate, lists, KNOWN_ENTITIES, KNOWN_SOURCES)
    for problem in problems:
        assert len(problem) <= PROBLEM_MAX, problem[:200]


@pytest.mark.slow  # seconds of CPU each: the full run has them
@SHORT
@given(documents)
@example({"entities": [{"key": "a", "kind": "person", "name": "A", "aliases": ["\u202e"]}]})
@example({"facts": [{"text": "x", "date": "2024-02-30", "about": ["nowhere"]}]})
def test_any_shape_is_checked(doc: Any) -> None:
    try:
        _document, problems = timed(validate, doc, KNOWN_ENTITIES, KNOWN_SOURCES)
    except ImportFileError as error:
        check_refusal(error)
        return
    for problem in problems:
        assert len(problem) <= PROBLEM_MAX, problem[:200]


@pytest.mark.slow  # seconds of CPU each: the full run has them
@SHORT
@given(documents)
def test_any_shape_read_as_json_or_yaml(doc: Any) -> None:
    check_read("file.json", json.dumps(doc, ensure_ascii=False).encode())
    check_read("file.yaml", yaml.safe_dump(doc, allow_unicode=True).encode())


@SHORT
@given(st.binary(max_size=200) | texts.map(str.encode))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example(b"&a [*a]")
@example(b"{")
def test_any_bytes_are_read(data: bytes) -> None:
    for name in ("file.json", "file.yaml", "file.yml", "file.txt"):
        check_read(name, data)


@pytest.mark.slow  # seconds of CPU each: the full run has them
@LONG
@given(long_text)
def test_long_values_are_quoted_short(value: str) -> None:
    doc = {
        "entities": [{"key": value, "kind": value, "name": value, value[:500]: value}],
        "facts": [{"text": value, "date": value, "about": [value]}],
    }
    check_read("file.json", json.dumps(doc, ensure_ascii=False).encode())
    check_read("file.yaml", yaml.safe_dump(doc, allow_unicode=True).encode())
