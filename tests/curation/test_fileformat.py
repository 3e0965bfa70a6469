"""Reading, writing and checking curation files."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.curation.files import read_document, write_document
from bot.curation.transfer import export_document, load_file
from bot.curation.validate import validate
from bot.errors import ExportError, ImportFileError
from bot.records.actor import Actor
from bot.records.fact_keys import FactKeys, Identity, derive_fact_key, digest
from bot.records.shapes import (
    KEY_MAX,
    AliasSpec,
    Document,
    EntitySpec,
    FactSpec,
    SourceSpec,
    Subject,
)
from bot.store.db import Store
from bot.store.models import Kind, Precision

SOURCE = {"key": "ap-report", "title": "Russia warns Japan"}
JAPAN = {"key": "japan", "kind": "country", "name": "Japan"}
RUSSIA = {"key": "russia", "kind": "country", "name": "Russia"}
FACT = {"key": "japan-speaks", "text": "Japan spoke.", "about": ["japan"], "source": "ap-report"}


def doc(
    sources: list[Any] | None = None,
    entities: list[Any] | None = None,
    facts: list[Any] | None = None,
) -> dict[str, Any]:
    """A small valid document, with any section replaced."""
    return {
        "sources": [SOURCE] if sources is None else sources,
        "entities": [JAPAN, RUSSIA] if entities is None else entities,
        "facts": [FACT] if facts is None else facts,
    }


def problems_of(
    document: dict[str, Any],
    known_entities: dict[str, str] | None = None,
    known_sources: set[str] | None = None,
) -> list[str]:
    return validate(document, known_entities or {}, known_sources or set())[1]


def read_error(path: Path) -> list[str]:
    with pytest.raises(ImportFileError) as caught:
        read_document(path)
    assert caught.value.path == str(path)
    return caught.value.problems


# Reading and writing.


def test_yaml_and_json_read_to_the_same_data(tmp_path: Path) -> None:
    yaml_path = tmp_path / "a.yaml"
    json_path = tmp_path / "a.json"
    yaml_path.write_text(yaml.safe_dump(doc(), allow_unicode=True), encoding="utf-8")
    json_path.write_text(json.dumps(doc()), encoding="utf-8")
    assert read_document(yaml_path) == read_document(json_path) == doc()


def test_yml_extension_and_empty_sections_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("sources:\nfacts: []\n", encoding="utf-8")
    assert read_document(path) == {"sources": [], "facts": []}


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text("sources:\n  - key: a\n    title: x: y\n", encoding="utf-8")
    assert read_error(path) == ["line 3: mapping values are not allowed in this context"]


def test_yaml_field_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text("entities:\n  - key: a\n    key: b\n", encoding="utf-8")
    assert read_error(path) == ["line 3: 'key' is given twice"]


def test_json_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"sources": [}', encoding="utf-8")
    [problem] = read_error(path)
    assert problem.startswith("not valid JSON: ")
    assert "line 1" in problem


def test_json_field_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"facts": [], "facts": []}', encoding="utf-8")
    assert read_error(path) == ["not valid JSON: 'facts' is given twice in one object"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("seed.txt", "unknown file type '.txt' (use .yaml, .yml or .json)"),
        ("seed", "unknown file type without an extension (use .yaml, .yml or .json)"),
    ],
)
def test_unknown_extension(tmp_path: Path, name: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text("sources: []\n", encoding="utf-8")
    assert read_error(path) == [problem]


def test_missing_file(tmp_path: Path) -> None:
    [problem] = read_error(tmp_path / "absent.yaml")
    assert problem.startswith("cannot read the file: ")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_bytes(b"sources: [\xff]\n")
    assert read_error(path) == ["not UTF-8 text (byte 10)"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("", ["the file is empty"]),
        (
            "- a\n- b\n",
            ["the top level must be a mapping with sources, entities and facts lists, not a list"],
        ),
        (
            "sorces: []\nfacts: {}\nextra: 1\n",
            [
                "sorces: unknown top-level key (did you mean 'sources'?)",
                "facts: expected a list, got a mapping",
                "extra: unknown top-level key",
            ],
        ),
    ],
)
def test_top_level_shape(tmp_path: Path, text: str, problems: list[str]) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_error(path) == problems


DEEP = "[" * 100_000 + "]" * 100_000
BAD_DATE = "facts: [{text: t, about: [japan], source: s, date: 2023-02-30}]\n"
BAD_PUBLISHED = "sources: [{key: s, title: T, published: 2023-02-30T10:00:00Z}]\n"
TOO_DEEP = "lists or mappings nested too deeply to read"
NOT_A_DAY = "facts[0].date: '2023-02-30' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
NOT_A_TIME = (
    "sources[0].published: '2023-02-30T10:00:00Z' is not an ISO 8601 date and time"
    " (like '2024-03-24T06:21:00-04:00')"
)
UNREADABLE_FILES = [
    ("deep.json", DEEP, [TOO_DEEP]),
    ("deep.yaml", DEEP, [TOO_DEEP]),
    (
        "date.yaml",
        BAD_DATE,
        [NOT_A_DAY, "facts[0].about[0]: no entity 'japan'", "facts[0].source: no source 's'"],
    ),
    ("published.yaml", BAD_PUBLISHED, [NOT_A_TIME]),
]


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_nesting_too_deep_to_read_is_one_problem(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(DEEP, encoding="utf-8")
    assert read_error(path) == [TOO_DEEP]


def test_moderate_nesting_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    path.write_text("facts: " + "[" * 50 + "]" * 50 + "\n", encoding="utf-8")
    assert len(read_document(path)["facts"]) == 1


def test_unquoted_dates_that_do_not_exist_are_checked_like_quoted_ones(tmp_path: Path) -> None:
    unquoted = tmp_path / "unquoted.yaml"
    unquoted.write_text(BAD_DATE + BAD_PUBLISHED, encoding="utf-8")
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(
        BAD_DATE.replace("2023-02-30", "'2023-02-30'")
        + BAD_PUBLISHED.replace("2023-02-30T10:00:00Z", "'2023-02-30T10:00:00Z'"),
        encoding="utf-8",
    )
    data = read_document(unquoted)
    assert data == read_document(quoted)
    assert data["facts"][0]["date"] == "2023-02-30"
    assert data["sources"][0]["published"] == "2023-02-30T10:00:00Z"
    assert problems_of(data) == [NOT_A_TIME, NOT_A_DAY, "facts[0].about[0]: no entity 'japan'"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2024-03-24T06:21:00Z", datetime(2024, 3, 24, 6, 21, tzinfo=UTC)),
        ("0000-01-01", "0000-01-01"),
        ("2023-01-01 25:00:00", "2023-01-01 25:00:00"),
        ("2023-01-01T00:00:00+99:00", "2023-01-01T00:00:00+99:00"),
        ("!!timestamp someday", "someday"),
    ],
)
def test_unquoted_timestamps_are_dates_when_real_and_text_otherwise(
    tmp_path: Path, text: str, value: object
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(f"facts: [{text}]\n", encoding="utf-8")
    assert read_document(path)["facts"] == [value]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("facts: [!!int many]", "line 1: 'many' cannot be read as !!int"),
        ("facts:\n  - !!bool maybe", "line 2: 'maybe' cannot be read as !!bool"),
        ("facts: [!!float .]", "line 1: '.' cannot be read as !!float"),
        ("facts: [!!map x]", "line 1: expected a mapping node, but found scalar"),
        ("facts: [!!set [1]]", "line 1: expected a mapping node, but found sequence"),
    ],
)
def test_yaml_tags_that_cannot_build_their_value_name_the_line(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    assert read_error(path) == [problem]


@pytest.mark.parametrize(
    ("name", "text", "problems"), UNREADABLE_FILES, ids=[name for name, _, _ in UNREADABLE_FILES]
)
def test_load_file_refuses_unreadable_files_and_writes_nothing(
    store: Store, tmp_path: Path, name: str, text: str, problems: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        load_file(store, path, Actor.console())
    assert caught.value.problems == problems
    assert export_document(store) == {"sources": [], "entities": [], "facts": []}


@pytest.mark.parametrize(
    ("name", "text", "problems"), UNREADABLE_FILES, ids=[name for name, _, _ in UNREADABLE_FILES]
)
def test_cli_import_of_unreadable_files_exits_2_without_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    problems: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for variable in ("DATABASE_URL", "DISCORD_TOKEN", "LOG_LEVEL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DIPLOBOT_SEED_FILE", "none")
    monkeypatch.setenv("DIPLOBOT_DB_PATH", str(tmp_path / "cli.db"))
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["import", name]) == 2
    err = capsys.readouterr().err
    assert f"{name}: {len(problems)} problem" in err and "nothing was imported" in err
    assert all(problem in err for problem in problems)
    assert "Traceback" not in err
    store = Store.open(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        assert export_document(store) == {"sources": [], "entities": [], "facts": []}
    finally:
        store.close()


def test_write_yaml_keeps_unicode_and_field_order(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    data = {"entities": [{"key": "russia", "name": "Russia", "aliases": [{"text": "Россия"}]}]}
    write_document(path, data)
    text = path.read_text(encoding="utf-8")
    assert "Россия" in text
    assert text.index("key:") < text.index("name:") < text.index("aliases:")
    assert read_document(path) == data


def test_write_json_keeps_unicode(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    data = {"entities": [{"key": "japan", "aliases": [{"text": "日本", "lang": "ja"}]}]}
    write_document(path, data)
    text = path.read_text(encoding="utf-8")
    assert "日本" in text
    assert text.startswith('{\n  "entities"')
    assert json.loads(text) == data


def test_write_dash_is_yaml_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_document("-", {"sources": [{"key": "a", "title": "Ноздрёв"}]})
    assert yaml.safe_load(capsys.readouterr().out) == {
        "sources": [{"key": "a", "title": "Ноздрёв"}]
    }


def test_write_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"unknown file type '\.csv'"):
        write_document(tmp_path / "out.csv", {})


# Checking: the typed result.


def test_valid_document_becomes_specs() -> None:
    document, problems = validate(
        {
            "sources": [
                {
                    "key": "ap",
                    "title": "  A title  ",
                    "outlet": "AP",
                    "url": "https://apnews.com/x",
                    "published": "2024-03-24T06:21:00-04:00",
                }
            ],
            "entities": [
                {
                    "key": "japan",
                    "kind": "country",
                    "name": "Japan",
                    "wikidata": "Q17",
                    "aliases": ["Nippon", {"text": "日本", "lang": "ja"}],
                },
                {"key": "kurils", "kind": "place", "name": "Kuril Islands"},
                {
                    "key": "kuril-dispute",
                    "kind": "dispute",
                    "name": "Kuril dispute",
                    "parties": ["japan", "russia"],
                    "areas": ["kurils"],
                },
            ],
            "facts": [
                {
                    "key": "f1",
                    "text": "Japan spoke.",
                    "date": "2023-12",
                    "type": "statement",
                    "about": ["japan", {"entity": "russia", "role": "recipient"}],
                    "sources": ["ap", "old-source"],
                }
            ],
        },
        {"russia": "country"},
        {"old-source"},
    )
    assert problems == []
    assert document == Document(
        sources=(
            SourceSpec(
                "ap",
                "A title",
                "AP",
                "https://apnews.com/x",
                datetime(2024, 3, 24, 10, 21, tzinfo=UTC),
                "2024-03-24T06:21:00-04:00",
            ),
        ),
        entities=(
            EntitySpec(
                "japan",
                Kind.COUNTRY,
                "Japan",
                wikidata="Q17",
                aliases=(AliasSpec("Nippon"), AliasSpec("日本", "ja")),
            ),
            EntitySpec("kurils", Kind.PLACE, "Kuril Islands"),
            EntitySpec(
                "kuril-dispute",
                Kind.DISPUTE,
                "Kuril dispute",
                parties=("japan", "russia"),
                areas=("kurils",),
            ),
        ),
        facts=(
            FactSpec(
                "f1",
                "Japan spoke.",
                about=(Subject("japan"), Subject("russia", "recipient")),
                sources=("ap", "old-source"),
                happened=date(2023, 12, 1),
                precision=Precision.MONTH,
                type="statement",
            ),
        ),
    )


@pytest.mark.parametrize(
    ("value", "happened", "precision", "text"),
    [
        ("2023", date(2023, 1, 1), Precision.YEAR, "2023"),
        (2023, date(2023, 1, 1), Precision.YEAR, "2023"),
        ("2023-12", date(2023, 12, 1), Precision.MONTH, "2023-12"),
        ("2024-02-29", date(2024, 2, 29), Precision.DAY, "2024-02-29"),
        (date(2023, 12, 31), date(2023, 12, 31), Precision.DAY, "2023-12-31"),
    ],
)
def test_fact_dates_keep_their_precision(
    value: object, happened: date, precision: Precision, text: str
) -> None:
    document, problems = validate(doc(facts=[{**FACT, "date": value}]), {}, set())
    assert problems == []
    [fact] = document.facts
    assert (fact.happened, fact.precision, fact.date_text) == (happened, precision, text)
    assert fact.to_dict()["date"] == text


@pytest.mark.parametrize(
    ("value", "published"),
    [
        ("2024-03-24T06:21:00-04:00", datetime(2024, 3, 24, 10, 21, tzinfo=UTC)),
        ("2024-03-24T10:21:00Z", datetime(2024, 3, 24, 10, 21, tzinfo=UTC)),
        ("2024-03-24", datetime(2024, 3, 24, tzinfo=UTC)),
        (date(2024, 3, 24), datetime(2024, 3, 24, tzinfo=UTC)),
        (
            yaml.safe_load("t: 2024-03-24T06:21:00+09:00")["t"],
            datetime(2024, 3, 23, 21, 21, tzinfo=UTC),
        ),
    ],
)
def test_published_becomes_utc(value: object, published: datetime) -> None:
    document, problems = validate(doc(sources=[{**SOURCE, "published": value}]), {}, set())
    assert problems == []
    stored = document.sources[0].published
    assert stored == published
    assert stored is not None and stored.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2024-03-24T06:21:00-04:00", "2024-03-24T06:21:00-04:00"),
        ("2023-09-18T03:32+05:30", "2023-09-18T03:32:00+05:30"),
        ("2024-03-24T10:21:00Z", "2024-03-24T10:21:00+00:00"),
        ("2009-10-01", "2009-10-01"),
        (date(2009, 10, 1), "2009-10-01"),
    ],
)
def test_published_is_kept_as_the_source_wrote_it(value: object, written: str) -> None:
    """A date alone stays a date (no midnight UTC is made up), and a time keeps its offset."""
    document, problems = validate(doc(sources=[{**SOURCE, "published": value}]), {}, set())
    assert problems == []
    assert document.sources[0].published_as == written
    assert document.sources[0].to_dict()["published"] == written


def test_keyless_fact_gets_a_stable_key_that_says_what_it_is() -> None:
    text = "Jake Sullivan meets Wang Yi in Malta for two days of talks."
    fact = {"text": text, "date": "2023-09", "about": ["jake-sullivan"], "source": "ap-report"}
    person = {"key": "jake-sullivan", "kind": "person", "name": "Jake Sullivan"}
    first = validate(doc(entities=[person], facts=[fact]), {}, set())
    again = validate(doc(entities=[person], facts=[fact]), {}, set())
    later = validate(doc(entities=[person], facts=[{**fact, "date": "2023-10"}]), {}, set())
    assert first[1] == []
    assert first[0].facts[0].key == again[0].facts[0].key == "jake-sullivan-2023-09-meets-wang"
    assert later[0].facts[0].key == "jake-sullivan-2023-10-meets-wang"


def test_derived_keys_are_slugs_whatever_the_text() -> None:
    assert derive_fact_key("Zelensky’s café in Kyiv", None, ["ukraine"]) == (
        "ukraine-zelensky-cafe"
    )
    assert derive_fact_key("Ноздрёв предупредил Японию", "2024", ["japan"]).startswith(
        "japan-2024-"
    )
    assert derive_fact_key("!!!", None) == f"fact-{digest('!!!', None)}"
    long = derive_fact_key("Word " * 50, None, ["x" * 120])
    assert len(long) <= KEY_MAX - len("-abcdef-99")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", long)


def test_a_derived_key_gets_a_suffix_only_when_it_is_taken() -> None:
    """Two facts that would share a key: the second gets a hash of its text and date."""
    first = {"text": "Japan protests the visit.", "about": ["japan"], "source": "ap-report"}
    second = {**first, "text": "Japan protests the visit again, harder."}
    texts = [str(first["text"]), str(second["text"])]
    named = {**first, "key": "japan-protests-visit", "text": "Japan protested."}
    document, problems = validate(doc(facts=[first, second, named]), {}, set())
    assert problems == []
    keys = [fact.key for fact in document.facts]
    assert keys[0] == f"japan-protests-visit-{digest(texts[0], None)}"  # named later
    assert keys[1] == f"japan-protests-visit-{digest(texts[1], None)}"
    assert keys[2] == "japan-protests-visit"


def test_a_keyless_fact_keeps_the_key_of_the_stored_fact_with_its_text_and_date() -> None:
    """Facts stored under older derived keys, or named keys, are never keyed again."""
    stored: dict[Identity, str] = {("Japan spoke.", "2024"): "japan-spoke-ab12cd"}
    keys = FactKeys({"japan-spoke-ab12cd", "japan-2024-spoke"}, stored)
    fact = {**FACT, "key": None, "date": "2024"}
    document, problems = validate(doc(facts=[fact]), {}, set(), keys)
    assert problems == []
    assert document.facts[0].key == "japan-spoke-ab12cd"


def test_to_dict_checks_back_to_the_same_document() -> None:
    document, problems = validate(doc(), {}, set())
    assert problems == []
    assert validate(document.to_dict(), {}, set()) == (document, [])


def test_seed_file_is_valid() -> None:
    seed = Path(__file__).resolve().parents[2] / "data" / "seed.yaml"
    if not seed.is_file():
        pytest.skip("no data/seed.yaml")
    document, problems = validate(read_document(seed), {}, set())
    assert problems == []
    assert validate(document.to_dict(), {}, set()) == (document, [])


# Checking: every kind of problem, by place.

KINDS = "person, organization, country, place, dispute, other"
DATE_FORMS = "(use YYYY, YYYY-MM or YYYY-MM-DD)"
QUOTE = "(put it in quotes to make it text)"
OFFSET = "(write it like '2024-03-24T06:21:00-04:00')"
KEY_FORM = "(lowercase letters, digits and single hyphens, like 'kuril-islands')"
DISPUTE = {"key": "dispute", "kind": "dispute", "name": "A dispute"}


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        # Unknown values and missing fields.
        (
            doc(
                entities=[
                    JAPAN,
                    RUSSIA,
                    {**RUSSIA, "key": "x"},
                    {**JAPAN, "key": "p", "kind": "persn"},
                ]
            ),
            f"entities[3].kind: unknown kind 'persn' (expected one of {KINDS})",
        ),
        (doc(sources=[{"key": "ap-report"}]), "sources[0].title: required"),
        (doc(sources=[{**SOURCE, "title": None}]), "sources[0].title: required"),
        (doc(entities=[JAPAN, {"key": "russia", "kind": "country"}]), "entities[1].name: required"),
        (doc(facts=[{**FACT, "about": None}]), "facts[0].about: required"),
        (
            doc(facts=[{k: v for k, v in FACT.items() if k != "source"}]),
            "facts[0].source: required",
        ),
        (
            doc(sources=["ap-report"]),
            "sources[0]: expected a mapping with key, title, outlet, url, published, got text",
        ),
        # Unknown fields, with suggestions.
        (
            doc(facts=[FACT, {**FACT, "key": "f2", "sorce": "ap-report"}]),
            "facts[1].sorce: unknown field (did you mean 'source'?)",
        ),
        (doc(entities=[{**JAPAN, "colour": "red"}, RUSSIA]), "entities[0].colour: unknown field"),
        (
            doc(entities=[{**JAPAN, "aliases": [{"text": "Nippon", "lng": "ja"}]}, RUSSIA]),
            "entities[0].aliases[0].lng: unknown field (did you mean 'lang'?)",
        ),
        (
            doc(facts=[{**FACT, "about": [{"entity": "japan", "rol": "actor"}]}]),
            "facts[0].about[0].rol: unknown field (did you mean 'role'?)",
        ),
        # References.
        (
            doc(facts=[{**FACT, "about": ["japan", "japn"]}]),
            "facts[0].about[1]: no entity 'japn' (did you mean 'japan'?)",
        ),
        (
            doc(facts=[{**FACT, "about": [{"entity": "chinaa", "role": "actor"}]}]),
            "facts[0].about[0].entity: no entity 'chinaa'",
        ),
        (doc(facts=[{**FACT, "source": "xyz"}]), "facts[0].source: no source 'xyz'"),
        (
            doc(facts=[{**FACT, "source": ["ap-report", "ap-reprt"]}]),
            "facts[0].source[1]: no source 'ap-reprt' (did you mean 'ap-report'?)",
        ),
        (
            doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "parties": ["japan", "x"]}]),
            "entities[2].parties[1]: no entity 'x'",
        ),
        (
            doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "areas": ["nowhere"]}]),
            "entities[2].areas[0]: no entity 'nowhere'",
        ),
        # Duplicates.
        (
            doc(entities=[JAPAN, RUSSIA, JAPAN]),
            "entities[2].key: duplicate key 'japan' (also entities[0])",
        ),
        (
            doc(sources=[SOURCE, SOURCE]),
            "sources[1].key: duplicate key 'ap-report' (also sources[0])",
        ),
        (doc(facts=[FACT, FACT]), "facts[1].key: duplicate key 'japan-speaks' (also facts[0])"),
        (
            doc(facts=[{**FACT, "key": None}, {**FACT, "key": None}]),
            "facts[1]: same text and date as facts[0] (give one of them a key)",
        ),
        (
            doc(entities=[{**JAPAN, "aliases": ["Nippon", "Nihon", "Nippon"]}, RUSSIA]),
            "entities[0].aliases[2]: duplicate alias 'Nippon' (also entities[0].aliases[0])",
        ),
        (
            doc(facts=[{**FACT, "about": ["japan", {"entity": "japan", "role": "actor"}]}]),
            "facts[0].about[1].entity: 'japan' is listed twice (also facts[0].about[0])",
        ),
        (
            doc(facts=[{**FACT, "source": ["ap-report", "ap-report"]}]),
            "facts[0].source[1]: 'ap-report' is listed twice (also facts[0].source[0])",
        ),
        (
            doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "parties": ["japan", "japan"]}]),
            "entities[2].parties[1]: 'japan' is listed twice (also entities[2].parties[0])",
        ),
        (
            doc(facts=[{**FACT, "source": "ap-report", "sources": ["ap-report"]}]),
            "facts[0].sources: give either source or sources, not both",
        ),
        # Disputes.
        (
            doc(entities=[{**JAPAN, "parties": ["russia"]}, RUSSIA]),
            "entities[0].parties: only a dispute has parties",
        ),
        (
            doc(entities=[{**JAPAN, "areas": []}, RUSSIA]),
            "entities[0].areas: only a dispute has areas",
        ),
        (
            doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "parties": ["dispute"]}]),
            "entities[2].parties[0]: a dispute cannot be one of its own parties",
        ),
        (
            doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "areas": ["other-dispute"]}]),
            "entities[2].areas[0]: 'other-dispute' is a dispute;"
            " disputes cannot be parties or areas",
        ),
        # Dates.
        (
            doc(facts=[{**FACT, "date": "2023-13"}]),
            f"facts[0].date: '2023-13' is not a date {DATE_FORMS}",
        ),
        (
            doc(facts=[{**FACT, "date": "2023-02-30"}]),
            f"facts[0].date: '2023-02-30' is not a date {DATE_FORMS}",
        ),
        (
            doc(facts=[{**FACT, "date": "23"}]),
            f"facts[0].date: '23' is not a date {DATE_FORMS}",
        ),
        (
            doc(facts=[{**FACT, "date": "0000"}]),
            f"facts[0].date: '0000' is not a date {DATE_FORMS}",
        ),
        (
            doc(facts=[{**FACT, "date": datetime(2023, 1, 2, 3, 4)}]),
            f"facts[0].date: '2023-01-02 03:04:00' has a time of day {DATE_FORMS}",
        ),
        (
            doc(facts=[{**FACT, "date": True}]),
            f"facts[0].date: expected a date {DATE_FORMS}, got true/false {QUOTE}",
        ),
        (
            doc(sources=[{**SOURCE, "published": "2024-03-24T06:21:00"}]),
            f"sources[0].published: '2024-03-24T06:21:00' has no UTC offset {OFFSET}",
        ),
        (
            doc(sources=[{**SOURCE, "published": datetime(2024, 3, 24, 6, 21)}]),
            f"sources[0].published: '2024-03-24 06:21:00' has no UTC offset {OFFSET}",
        ),
        (
            doc(sources=[{**SOURCE, "published": "yesterday"}]),
            "sources[0].published: 'yesterday' is not an ISO 8601 date and time"
            " (like '2024-03-24T06:21:00-04:00')",
        ),
        # Wrong types.
        (
            doc(entities=[{**JAPAN, "aliases": ["Nippon", "Nihon", 3]}, RUSSIA]),
            f"entities[0].aliases[2]: expected text or {{text, lang}}, got a number {QUOTE}",
        ),
        (
            doc(entities=[{**JAPAN, "aliases": "Nippon"}, RUSSIA]),
            "entities[0].aliases: expected a list, got text",
        ),
        (
            doc(entities=[{**JAPAN, "name": 1984}, RUSSIA]),
            "entities[0].name: expected text, got a number (put it in quotes to make it text)",
        ),
        (doc(facts=[{**FACT, "about": "japan"}]), "facts[0].about: expected a list, got text"),
        (
            doc(facts=[{**FACT, "about": [["japan"]]}]),
            "facts[0].about[0]: expected an entity key or {entity, role}, got a list",
        ),
        (
            doc(facts=[{**FACT, "source": {"key": "ap-report"}}]),
            "facts[0].source: expected a source key or a list of them, got a mapping",
        ),
        # Text limits, emptiness, control characters, and the forms of keys and codes.
        (
            doc(entities=[{**JAPAN, "name": "J" * 201}, RUSSIA]),
            "entities[0].name: too long: 201 characters (at most 200)",
        ),
        (
            doc(entities=[{**JAPAN, "aliases": ["N" * 201]}, RUSSIA]),
            "entities[0].aliases[0]: too long: 201 characters (at most 200)",
        ),
        (
            doc(sources=[{**SOURCE, "title": "T" * 501}]),
            "sources[0].title: too long: 501 characters (at most 500)",
        ),
        (
            doc(sources=[{**SOURCE, "url": "https://example.com/" + "x" * 981}]),
            "sources[0].url: too long: 1001 characters (at most 1000)",
        ),
        (
            doc(entities=[{**JAPAN, "key": "j" * 101}, RUSSIA]),
            "entities[0].key: too long: 101 characters (at most 100)",
        ),
        (doc(entities=[{**JAPAN, "name": ""}, RUSSIA]), "entities[0].name: must not be empty"),
        (doc(facts=[{**FACT, "text": "   "}]), "facts[0].text: must not be empty"),
        (doc(sources=[{**SOURCE, "outlet": ""}]), "sources[0].outlet: must not be empty"),
        (
            doc(entities=[{**JAPAN, "name": "Ja\x00pan"}, RUSSIA]),
            "entities[0].name: control character U+0000 is not allowed",
        ),
        (
            doc(entities=[{**JAPAN, "name": "Ja\npan"}, RUSSIA]),
            "entities[0].name: control character U+000A is not allowed",
        ),
        (
            doc(facts=[{**FACT, "text": "Japan\x1b spoke."}]),
            "facts[0].text: control character U+001B is not allowed",
        ),
        (
            doc(entities=[{**JAPAN, "key": "Japan"}, RUSSIA]),
            f"entities[0].key: 'Japan' is not a key {KEY_FORM}",
        ),
        (
            doc(sources=[{**SOURCE, "key": "ap--report"}]),
            f"sources[0].key: 'ap--report' is not a key {KEY_FORM}",
        ),
        (
            doc(entities=[{**JAPAN, "wikidata": "q17"}, RUSSIA]),
            "entities[0].wikidata: 'q17' is not a Wikidata id",
        ),
        (
            doc(entities=[{**JAPAN, "aliases": [{"text": "日本", "lang": "Japanese"}]}, RUSSIA]),
            "entities[0].aliases[0].lang: 'Japanese' is not a language code like 'ru'",
        ),
        (
            doc(entities=[{**JAPAN, "aliases": ["..."]}, RUSSIA]),
            "entities[0].aliases[0]: '...' has no letters or digits to look it up by",
        ),
        (
            doc(facts=[{**FACT, "about": [{"entity": "japan", "role": "Actor"}]}]),
            "facts[0].about[0].role: 'Actor' is not a lowercase word like 'actor'",
        ),
        (
            doc(facts=[{**FACT, "type": "policy change"}]),
            "facts[0].type: 'policy change' is not a lowercase word like 'policy-change'",
        ),
        (
            doc(sources=[{**SOURCE, "url": "ftp://example.com/x"}]),
            "sources[0].url: 'ftp://example.com/x' is not an http or https URL",
        ),
        (doc(facts=[{**FACT, "about": []}]), "facts[0].about: at least one entity required"),
        (doc(facts=[{**FACT, "source": []}]), "facts[0].source: at least one source required"),
    ],
)
def test_problem_is_reported_by_place(document: dict[str, Any], problem: str) -> None:
    assert problem in problems_of(document, {"other-dispute": "dispute"})


def test_multiline_text_is_allowed_where_prose_goes() -> None:
    document, problems = validate(
        doc(
            entities=[{**JAPAN, "summary": "Island country.\nIn East Asia.\n"}, RUSSIA],
            facts=[{**FACT, "text": "Japan\tspoke.\nTwice."}],
        ),
        {},
        set(),
    )
    assert problems == []
    assert document.entities[0].summary == "Island country.\nIn East Asia."


def test_references_may_point_into_the_store() -> None:
    document = doc(
        sources=[],
        entities=[{**DISPUTE, "parties": ["japan", "russia"]}],
        facts=[{**FACT, "about": ["japan", "dispute"]}],
    )
    assert problems_of(document, {"japan": "country", "russia": "country"}, {"ap-report"}) == []
    assert problems_of(document) == [
        "entities[0].parties[0]: no entity 'japan'",
        "entities[0].parties[1]: no entity 'russia'",
        "facts[0].about[0]: no entity 'japan'",
        "facts[0].source: no source 'ap-report'",
    ]


def test_a_file_kind_wins_over_the_stored_kind() -> None:
    document = doc(entities=[JAPAN, RUSSIA, {**DISPUTE, "parties": ["japan"]}])
    assert problems_of(document, {"japan": "dispute"}) == []


def test_file_with_several_problems_lists_all_of_them_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        """\
sources:
  - key: ap
    title: Report
    published: 2024-03-24T06:21:00
entities:
  - key: japan
    kind: country
    name: Japan
  - key: nozdrev
    kind: persn
    name: Nikolai Nozdrev
    parties: [japan]
facts:
  - text: Nozdrev warned Japan.
    date: 2024-13
    about: [nozdrev, japn]
    sorce: ap
  - key: second
    text: Japan answered.
    about: [{entity: japan, role: recipient}]
    source: [ap, xyz]
""",
        encoding="utf-8",
    )
    assert problems_of(read_document(path)) == [
        "sources[0].published: '2024-03-24 06:21:00' has no UTC offset"
        " (write it like '2024-03-24T06:21:00-04:00')",
        f"entities[1].kind: unknown kind 'persn' (expected one of {KINDS})",
        "facts[0].sorce: unknown field (did you mean 'source'?)",
        f"facts[0].date: '2024-13' is not a date {DATE_FORMS}",
        "facts[0].source: required",
        "facts[0].about[1]: no entity 'japn' (did you mean 'japan'?)",
        "facts[1].source[1]: no source 'xyz'",
    ]


def test_a_record_that_is_not_a_mapping_is_one_problem() -> None:
    assert problems_of(doc(facts=["Japan spoke."])) == [
        "facts[0]: expected a mapping with key, text, date, about, source, sources, type, got text"
    ]


def test_the_control_characters_refused_are_exactly_unicodes_cc_and_cs() -> None:
    """Text is checked with one regular expression, not a category lookup per character:
    it must refuse exactly what Unicode calls a control (Cc) or a surrogate (Cs), and
    let multi-line text keep its line breaks and tabs."""
    import unicodedata

    from bot.curation.record_models import CONTROL as _CONTROL
    from bot.curation.record_models import CONTROL_IN_MULTILINE as _CONTROL_IN_MULTILINE

    for point in range(sys.maxunicode + 1):
        char = chr(point)
        control = unicodedata.category(char) in ("Cc", "Cs")
        assert bool(_CONTROL.fullmatch(char)) == control, hex(point)
        in_text = control and char not in "\n\t"
        assert bool(_CONTROL_IN_MULTILINE.fullmatch(char)) == in_text, hex(point)
