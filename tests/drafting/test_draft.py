"""Drafts: what make_draft proposes, and that the draft imports into the store it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answers.catalog import Catalog
from bot.curation.validate import validate
from bot.drafting import Article, Draft, Known, make_draft, read_article
from bot.drafting.draft import MAX_FACTS
from tests.drafting.conftest import known_of

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = Path("/work/shared/seed-article.txt")
"""The seed store's article, where the workplace keeps it (not in the repository)."""
PUBLISHED = "2024-03-24T06:21:00-04:00"


def problems(draft: Draft, catalog: Catalog) -> list[str]:
    """What the import validator says about the draft, against the seed store."""
    kinds = {key: record.ref.kind for key, record in catalog.entities.items()}
    _, found = validate(yaml.safe_load(draft.to_yaml()), kinds, frozenset(catalog.sources))
    return list(found)


def seed_facts_article() -> bytes:
    """An article in the seed's own words: its facts' texts as paragraphs, with a headline."""
    seed = yaml.safe_load((ROOT / "data" / "seed.yaml").read_text(encoding="utf-8"))
    paragraphs = [fact["text"] for fact in seed["facts"]]
    title = seed["sources"][0]["title"]
    return "\n\n".join([title, *paragraphs]).encode()


def abouts(fact: dict[str, Any]) -> dict[str, str]:
    return {item["entity"]: item["role"] for item in fact["about"]}


def test_the_seed_article_drafts_and_imports_into_the_seed_store(
    seed_known: Known, catalog: Catalog
) -> None:
    article = read_article(seed_facts_article(), published=PUBLISHED)
    draft = make_draft(article, seed_known)
    assert problems(draft, catalog) == []
    assert draft.entities == []  # every name in it is known
    assert yaml.safe_load(draft.to_yaml()) == draft.to_document()
    linked = {key for fact in draft.facts for key in abouts(fact)}
    assert {"nikolai-nozdrev", "japan", "russia", "ukraine", "white-house"} <= linked
    statement = next(f for f in draft.facts if f["text"].startswith("Nozdrev stressed"))
    assert abouts(statement)["nikolai-nozdrev"] == "actor"
    assert statement["type"] == "statement"
    dated = next(f for f in draft.facts if f["text"].startswith("By the end of 2023"))
    assert dated["date"] == "2023-12"


@pytest.mark.skipif(not SEED_ARTICLE.is_file(), reason="the seed article is not on this machine")
def test_the_original_seed_article_imports_into_the_seed_store(
    seed_known: Known, catalog: Catalog
) -> None:
    article = read_article(SEED_ARTICLE.read_bytes(), published=PUBLISHED)
    draft = make_draft(article, seed_known)
    assert problems(draft, catalog) == []
    assert len(draft.facts) >= 10
    for fact in draft.facts:
        assert fact["text"] in article.text
        assert "Images source" not in fact["text"]


def test_fact_texts_are_verbatim_and_each_names_an_entity(seed_known: Known) -> None:
    text = (
        "TOKYO, March 24 (Reuters) - Japan and Russia traded warnings on Sunday.\n\n"
        '"We will respond," Nikolai Nozdrev told reporters. "Nobody should doubt it," he added.\n\n'
        "The weather in the capital was mild all week.\n\n"
        "Lena Maier, Austria's foreign minister, said in Vienna that Ukraine needed help."
    )
    article = Article("Warnings", "Example Wire", None, PUBLISHED, text)
    draft = make_draft(article, seed_known)
    texts = [fact["text"] for fact in draft.facts]
    assert texts == [
        "Japan and Russia traded warnings on Sunday.",
        '"We will respond," Nikolai Nozdrev told reporters.',
        '"Nobody should doubt it," he added.',
        "Lena Maier, Austria's foreign minister, said in Vienna that Ukraine needed help.",
    ]
    assert draft.facts[0]["date"] == "2024-03-24"
    assert abouts(draft.facts[1]) == {"nikolai-nozdrev": "actor"}
    assert abouts(draft.facts[2]) == {"nikolai-nozdrev": "actor"}  # "he added"
    assert abouts(draft.facts[3]) == {"lena-maier": "actor", "ukraine": "subject"}
    assert draft.entities == [
        {
            "key": "lena-maier",
            "kind": "person",
            "name": "Lena Maier",
            "summary": "Austria's foreign minister.",
        }
    ]
    assert draft.source == {
        "key": "warnings-2024-03-24",
        "title": "Warnings",
        "outlet": "Example Wire",
        "published": PUBLISHED,
    }


def test_at_most_30_facts_with_statements_first(seed_known: Known) -> None:
    sentences = [f"Japan and Russia held round {n} of talks in a hotel." for n in range(50)]
    sentences[45] = "Nikolai Nozdrev said round 45 of the talks was useful."
    article = Article("Talks", None, None, None, "\n\n".join(sentences))
    draft = make_draft(article, seed_known)
    assert len(draft.facts) == MAX_FACTS
    assert any(fact.get("type") == "statement" for fact in draft.facts)
    order = [sentences.index(fact["text"]) for fact in draft.facts]
    assert order == sorted(order)


def test_a_taken_source_key_gets_a_fresh_one() -> None:
    known = known_of([("japan", "country", "Japan")])
    taken = Known(known.mentions, known.entity_keys, frozenset({"talks-2024-03-24"}), known.kinds)
    article = Article("Talks", None, None, "2024-03-24", "Japan said it would wait and see.")
    assert make_draft(article, taken).source["key"] == "talks-2024-03-24-2"
    assert make_draft(article, taken).source["published"] == "2024-03-24"  # a date stays a date


def test_without_a_title_the_first_sentence_stands_in() -> None:
    known = known_of([("japan", "country", "Japan")])
    article = Article(None, None, None, None, "Japan said it would wait and see. More later.")
    source = make_draft(article, known).source
    assert source["title"] == "Japan said it would wait and see."
    assert source["key"] == "japan-said-it-would-wait-and-see"


def test_furniture_never_reaches_a_draft(seed_known: Known) -> None:
    page = (
        b"<html><head><title>Japan warned | Example</title></head><body>"
        b"<nav>Home World Japan Russia</nav><article><h1>Japan warned</h1>"
        b"<p class='byline'>By Jane Doe</p>"
        b"<p>MOSCOW (Reuters) - Nikolai Nozdrev said on Sunday that Japan would regret sending "
        b"Patriot missiles to Ukraine, in remarks to RIA Novosti.</p>"
        b"<figure><figcaption>Nikolai Nozdrev in Tokyo. REUTERS/Kim Kyung-Hoon</figcaption>"
        b"</figure><p>Reporting by Jane Doe in Moscow; Editing by Tom Roe</p></article>"
        b"<aside><h3>Related</h3><ul><li>Russia and Japan spar over islands</li></ul></aside>"
        b"<div class='cookie-banner'>We use cookies to improve your experience. Accept?</div>"
        b"<form class='comments'><p>Leave a comment below</p></form>"
        b"</body></html>"
    )
    draft = make_draft(read_article(page), seed_known)
    printed = draft.to_yaml()
    for furniture in [
        "Jane Doe",
        "REUTERS/",
        "Kim Kyung-Hoon",
        "Tom Roe",
        "cookies",
        "Leave a comment",
        "spar over islands",
        "MOSCOW (Reuters)",
    ]:
        assert furniture not in printed
    assert draft.facts[0]["text"].startswith("Nikolai Nozdrev said on Sunday")
    assert draft.entities == []


def test_to_yaml_explains_each_record_and_reads_back_the_same(seed_known: Known) -> None:
    text = "Lena Maier, a spokeswoman, said: \"Japan: yes # no - 'maybe'.\" Japan agreed."
    draft = make_draft(Article("A: title # with | marks", None, None, "2024", text), seed_known)
    printed = draft.to_yaml()
    assert yaml.safe_load(printed) == draft.to_document()
    comments = [line for line in printed.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 2 + len(draft.entities) + len(draft.facts)


def test_types_beyond_statement_only_when_a_rule_is_sure(seed_known: Known) -> None:
    text = (
        "Japan and Russia signed a fisheries deal in 2019.\n\n"
        "Japan and Russia did not agree on the islands.\n\n"
        "Japan and Ukraine met in Kyiv in 2023."
    )
    facts = make_draft(Article("Deals", None, None, None, text), seed_known).facts
    assert [fact.get("type") for fact in facts] == ["agree", None, "consult"]


def test_short_claims_count_but_captions_do_not(seed_known: Known) -> None:
    text = "Nikolai Nozdrev.\n\nJapan abstained.\n\nRussia and Japan"
    facts = make_draft(Article("Vote", None, None, None, text), seed_known).facts
    assert [fact["text"] for fact in facts] == ["Japan abstained."]
