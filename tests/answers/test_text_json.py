"""Answers as terminal text and as the public JSON shape."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.answers.text_json import as_json, as_text
from bot.core.answer import Answer, EntityRef, FactView, Related, SourceRef, Status, Suggestion

ARTICLE = SourceRef(
    "article", "A title", "An Outlet", "https://example.org/a", datetime(2024, 3, 24, tzinfo=UTC)
)
OTHER = SourceRef("other", "Another title")
JAPAN = EntityRef("japan", "country", "Japan", "Island country.")


def card() -> Answer:
    facts = (
        FactView("f1", "Dated fact.", "2023-12", (ARTICLE,), (JAPAN,), "agree"),
        FactView("f2", "Undated fact.", None, (OTHER, ARTICLE), (JAPAN,)),
    )
    related = (Related("Disputes", (EntityRef("d", "dispute", "A dispute"),)),)
    return Answer(
        "about", "japan", Status.FOUND, title="Japan", entity=JAPAN, facts=facts, related=related
    )


def test_a_card_shows_name_summary_related_dated_facts_and_numbered_sources() -> None:
    text = as_text(card())
    assert text.splitlines()[:3] == ["Japan  (country)", "================", "Island country."]
    assert "Disputes: A dispute" in text
    assert "  2023-12     Dated fact. [1]" in text
    assert "  undated     Undated fact. [1][2]" in text  # footnotes in ascending order
    assert "  [1] “A title”, An Outlet, 2024-03-24" in text
    assert "      https://example.org/a" in text
    assert "  [2] “Another title”" in text


def test_ambiguous_and_not_found_list_their_candidates() -> None:
    choices = (Suggestion("a", "place", "Alpha", 95.0), Suggestion("b", "dispute", "Beta", 93.2))
    ambiguous = Answer("about", "x", Status.AMBIGUOUS, notice="Did you mean?", suggestions=choices)
    assert as_text(ambiguous) == "Did you mean?\n\n  Alpha (place, 95%)\n  Beta (dispute, 93%)"
    missing = Answer("about", "x", Status.NOT_FOUND, notice="Nothing.", suggestions=choices[:1])
    assert as_text(missing) == "Nothing.\n\nNearest:\n  Alpha (place, 95%)"


def test_json_keeps_the_public_fields_and_their_types() -> None:
    data = as_json(card())
    assert data["command"] == "about" and data["query"] == "japan" and data["status"] == "found"
    assert data["message"] == as_text(card())
    assert data["entity"] == {
        "key": "japan",
        "kind": "country",
        "name": "Japan",
        "summary": "Island country.",
    }
    assert data["suggestions"] == []
    first = data["facts"][0]
    assert first["text"] == "Dated fact." and first["date"] == "2023-12"
    assert first["sources"][0]["published"] == "2024-03-24T00:00:00+00:00"
    assert [s["key"] for s in data["sources"]] == ["article", "other"]
    assert data["related"][0]["label"] == "Disputes"


KEY = "tokyo-calls-four-islands-northern-territories"


def test_keys_urls_and_commands_are_never_wrapped_mid_key() -> None:
    """Wherever the line ends, a key, a URL and a command in backquotes stay whole on one
    line, so a curator can copy them from the terminal."""
    url = "https://example.org/world/asia/" + "-".join(["kuril"] * 12) + ".html"
    for padding in range(40):
        filler = "word " * padding
        answer = Answer(
            "curate history",
            "",
            Status.FOUND,
            notice=f"{filler}Changed fact '{KEY}'. Revision #35; `curate undo 35` reverts it.",
            lines=(f"#34 · {filler}created fact '{KEY}'", f"{filler}see {url}"),
        )
        shown = as_text(answer).splitlines()
        assert any(f"'{KEY}'." in line for line in shown), padding
        assert any(f"'{KEY}'" in line and line.startswith("  ") for line in shown), padding
        assert any("`curate undo 35`" in line for line in shown), padding
        assert any(url in line for line in shown), padding
        assert all(len(line) <= 88 or " " not in line.strip() for line in shown), padding
