"""Issue 15's measures on the drafting article set, and the inputs read_article refuses.

The set's own consistency (every gold quote, name and key is really in its article and
store) is checked without the engine; everything else drafts each article once with
`bot.drafting` against the known store (tests/drafting/measures.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import yaml

from bot.errors import DiplobotError
from tests.drafting import measures as m

if TYPE_CHECKING:
    from bot.drafting import Article

GOLDS = m.load_gold()
FIVE_MIB = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def store() -> Iterator[m.KnownStore]:
    """The known store: the seed plus known.yaml."""
    with m.known_store() as opened:
        yield opened


@pytest.fixture(scope="module")
def measured(store: m.KnownStore) -> list[m.Measures]:
    """Every article drafted once and measured."""
    return m.measure_set(store, GOLDS)


@pytest.fixture(scope="module")
def summed(measured: list[m.Measures]) -> m.Measures:
    return m.total(measured)


# ---------------------------------------------------------------------------
# The set itself (no engine needed)


def test_every_article_has_gold_and_the_set_has_its_shapes() -> None:
    files = sorted(path.name for path in m.ARTICLES.iterdir())
    assert files == sorted(gold.file for gold in GOLDS)
    pages = [gold for gold in GOLDS if gold.is_html]
    assert len(GOLDS) >= 12 and len(pages) >= 9 and len(GOLDS) - len(pages) >= 4
    assert all(gold.flags for gold in GOLDS if not gold.is_html)
    assert any(gold.title is None or gold.outlet is None for gold in pages)


@pytest.mark.parametrize("gold", GOLDS, ids=lambda gold: gold.file)
def test_gold_is_in_its_article(gold: m.Gold) -> None:
    """Every quote and new name is the article's text; every furniture string is on the
    page (or in its source, for script and style text)."""
    shown = m.squeeze(m.page_text(gold))
    source = m.spaced(m.decode(gold.path.read_bytes()))
    words = len(m.page_text(gold).split())
    assert 300 <= words <= 2500, words  # 300-1,500 words of article, plus the page around it
    for quote in [s.quote for s in gold.statements] + [e.quote for e in gold.events]:
        assert m.squeeze(quote) in shown, quote
    for name in (*gold.new_people, *gold.new_organizations):
        assert m.squeeze(name) in shown, name
    for text in gold.furniture:
        assert m.spaced(text) in source.replace("&amp;", "&").replace("&gt;", ">"), text
    for event in gold.events:
        assert len(event.date) in (4, 7, 10), event


def test_gold_keys_are_in_the_known_store(store: m.KnownStore) -> None:
    keys = store.entity_keys
    for gold in GOLDS:
        assert gold.known <= keys, (gold.file, gold.known - keys)
        names = {m.fold_name(name) for name in (*gold.new_people, *gold.new_organizations)}
        for statement in gold.statements:
            speaker = statement.speaker
            assert speaker in keys or m.fold_name(speaker) in names, (gold.file, speaker)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”]?\s+(?=[\"“A-Z])")


@pytest.mark.parametrize("gold", GOLDS, ids=lambda gold: gold.file)
def test_every_gold_event_can_be_a_fact(gold: m.Gold, store: m.KnownStore) -> None:
    """A fact names at least one entity, so every dated event's sentence names one."""
    text = m.spaced(m.page_text(gold))
    sentences = _SENTENCE_END.split(text)
    new = (*gold.new_people, *gold.new_organizations, *gold.new_other)
    for event in gold.events:
        holding = [s for s in sentences if m.spaced(event.quote) in s] or [text]
        sentence = min(holding, key=len)
        named = [x.entity for x in store.catalog.mentions.find(sentence)]
        assert set(named) & gold.known or any(n in sentence for n in new), (event, sentence)


# ---------------------------------------------------------------------------
# Issue 15, "Done when", on the set


def test_every_draft_imports_unchanged(summed: m.Measures) -> None:
    assert summed.imports.right == summed.imports.total == len(GOLDS), summed.imports.misses


def test_title_and_published_are_right(summed: m.Measures) -> None:
    assert summed.title.right == summed.title.total, summed.title.misses
    assert summed.published.right == summed.published.total, summed.published.misses
    assert summed.outlet.right == summed.outlet.total, summed.outlet.misses  # never guessed


def test_known_entities_are_linked_and_none_wrongly(summed: m.Measures) -> None:
    assert summed.known_linked.rate >= m.THRESHOLDS["known_linked"], summed.known_linked.misses
    assert summed.wrong_links == []


def test_new_people_are_found_and_new_entities_are_real(summed: m.Measures) -> None:
    assert summed.people_found.rate >= m.THRESHOLDS["people_found"], summed.people_found.misses
    assert summed.entities_real.rate >= m.THRESHOLDS["entities_real"], summed.entities_real.misses


def test_fact_texts_are_the_articles_words_and_never_furniture(summed: m.Measures) -> None:
    assert summed.facts > 0
    assert summed.verbatim.right == summed.verbatim.total, summed.verbatim.misses
    assert summed.furniture == []


def test_statements_have_their_speaker_as_actor(summed: m.Measures) -> None:
    assert summed.statements.rate >= m.THRESHOLDS["statements"], summed.statements.misses


def test_dated_events_carry_the_right_date(summed: m.Measures) -> None:
    assert summed.events.rate >= m.THRESHOLDS["events"], summed.events.misses


def test_at_most_30_facts_each_naming_an_entity(measured: list[m.Measures]) -> None:
    assert all(0 < one.facts <= 30 for one in measured), [(o.file, o.facts) for o in measured]


# ---------------------------------------------------------------------------
# Bad input: one line, and nothing else


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


FURNITURE_ONLY = _page(
    '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>'
    '<div class="cookie">We use cookies to improve your experience. <button>Accept</button></div>'
    '<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> (c) 2026</footer>'
)
BAD_INPUTS = {
    "binary": bytes(range(256)) * 64,
    "png image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(2048),
    "jpeg image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(2048),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    + b"(Foreign Minister Ana Lisboa said on Tuesday the talks would resume.) Tj\n" * 40,
    "empty": b"",
    "only whitespace": b"  \n\t\n  ",
    "empty page": _page("").encode(),
    "no article text": FURNITURE_ONLY.encode(),
}


def _one_line(error: BaseException) -> str:
    text = str(error)
    assert text.strip() and "\n" not in text, repr(text)
    return text


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_refused_in_one_line(name: str) -> None:
    from bot.drafting import DraftError, read_article

    assert issubclass(DraftError, DiplobotError)
    with pytest.raises(DraftError) as raised:
        read_article(BAD_INPUTS[name])
    text = _one_line(raised.value)
    if name == "no article text":
        assert "no article text" in text


def test_over_5_mib_is_refused_in_one_line() -> None:
    from bot.drafting import DraftError, read_article

    page = GOLDS[0].path.read_bytes()
    padded = page + b"<!-- " + b"x" * (FIVE_MIB - len(page)) + b" -->"
    assert len(padded) > FIVE_MIB
    with pytest.raises(DraftError) as raised:
        read_article(padded)
    _one_line(raised.value)


WINDOWS_1252 = "text/html; charset=windows-1252"
ACCENTED = (
    "<article><h1>Lisbon hosts Lusophone ministers</h1>"
    + "<p>Foreign Minister Sérgio Antunes de Araújo said on Monday that the meeting in Lisbon "
    "would discuss visas, diplomas and the status of the Portuguese language at the United "
    "Nations. \u201cWe speak one language in nine countries,\u201d Antunes de Araújo said.</p>"
    * 6
    + "</article>"
)


@pytest.mark.parametrize(
    ("encoding", "head", "content_type"),
    [
        ("iso-8859-1", '<meta charset="ISO-8859-1">', None),
        ("cp1252", f'<meta http-equiv="Content-Type" content="{WINDOWS_1252}">', None),
        ("iso-8859-1", "", "text/html; charset=iso-8859-1"),
    ],
)
def test_a_page_not_in_utf8_is_read_by_its_charset(
    encoding: str, head: str, content_type: str | None
) -> None:
    from bot.drafting import read_article

    text = ACCENTED
    if encoding != "cp1252":  # curly quotes are not in ISO-8859-1
        text = text.replace("\u201c", '"').replace("\u201d", '"')
    data = _page(text, head).encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    article = read_article(data, content_type=content_type)
    assert "Sérgio Antunes de Araújo" in article.text


def test_the_sets_windows_1252_page_keeps_its_names() -> None:
    gold = next(gold for gold in GOLDS if "cp1252" in gold.file)
    article: Article = m.read(gold)
    assert "João Araújo Sá" in article.text and "€2 billion" in article.text


def test_script_and_style_text_never_reaches_a_draft(store: m.KnownStore) -> None:
    from bot.drafting import make_draft, read_article

    body = (
        "<article><h1>Norway and Finland agree Arctic rescue pact</h1>"
        + "<p>Norway and Finland signed an agreement on Arctic search and rescue on Monday, "
        "Foreign Minister Henrik Solberg Lie said in Oslo.</p>"
        + "<script>var scriptOnly = 'Finland ScriptOnlyMarker said Norway';</script>"
        + "<style>.x:after{content:'StyleOnlyMarker Norway said'}</style>"
        + "<p>The pact covers aircraft, ships and shared training for crews in the Arctic, "
        "according to the Norwegian foreign ministry, and it will be reviewed in 2028.</p>"
        * 5
        + "</article>"
    )
    head = "<script>var headOnly = 'HeadScriptMarker';</script><style>p{color:red}</style>"
    article = read_article(_page(body, head).encode())
    made = make_draft(article, store.known)
    for marker in ("ScriptOnlyMarker", "StyleOnlyMarker", "HeadScriptMarker", "color:red"):
        assert marker not in article.text
        assert marker not in made.to_yaml()
        assert marker not in yaml.safe_dump(made.to_document(), allow_unicode=True)


# ---------------------------------------------------------------------------
# The measures themselves, on drafts written by hand (no engine needed)


class HandDraft:
    """A draft written by hand, shaped as bot.drafting's Draft."""

    def __init__(self, source: dict[str, str], entities: list[dict], facts: list[dict]) -> None:
        self.source, self.entities, self.facts = source, entities, facts

    def to_document(self) -> dict[str, list[dict]]:
        return {"sources": [self.source], "entities": self.entities, "facts": self.facts}

    def to_yaml(self) -> str:
        return "# drafted by hand\n" + yaml.safe_dump(
            self.to_document(), allow_unicode=True, sort_keys=False
        )


GENEVA = next(gold for gold in GOLDS if gold.file.startswith("12-"))
SOURCE_KEY = "geneva-prisoner-lists"
QUOTED = (
    '"Both delegations came with lists, and both left with one list. That is what progress'
    ' looks like in this work," said Corinne Meylan-Roth, the Swiss state secretary who'
    " chaired the final session."
)
OPENING = (
    "Russia and Ukraine have agreed on the names of 312 prisoners of war to be exchanged"
    " before the end of the month, Switzerland's foreign ministry said on Thursday after two"
    " days of talks in Geneva."
)


def _hand_draft(**changes: object) -> HandDraft:
    source = {
        "key": SOURCE_KEY,
        "title": str(GENEVA.title),
        "outlet": "Meridian Wire",
        "published": "2026-02-05T16:20:00+01:00",
    }
    entities = [{"key": "corinne-meylan-roth", "kind": "person", "name": "Corinne Meylan-Roth"}]
    facts = [
        {
            "text": QUOTED,
            "about": [{"entity": "corinne-meylan-roth", "role": "actor"}],
            "source": SOURCE_KEY,
            "type": "statement",
        },
        {
            "text": OPENING,
            "about": [
                {"entity": "switzerland", "role": "actor"},
                {"entity": "russia", "role": "subject"},
                "ukraine",
                {"entity": "geneva", "role": "mentioned"},
            ],
            "source": SOURCE_KEY,
            "date": "2026-02-05",
            "type": "statement",
        },
    ]
    made = HandDraft(source, entities, facts)
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def test_the_measures_count_a_good_draft_right(store: m.KnownStore) -> None:
    result = m.measure(GENEVA, _hand_draft(), store)  # type: ignore[arg-type]
    assert result.failures()  # two facts are not the whole article
    assert (result.imports.right, result.title.right, result.published.right) == (1, 1, 1)
    assert str(result.known_linked) == "4/5" and result.known_linked.misses == ["united-nations"]
    assert result.wrong_links == [] and result.furniture == []
    assert str(result.people_found) == "1/3" and str(result.entities_real) == "1/1"
    assert str(result.verbatim) == "2/2"
    assert result.statements.right == 2 and result.events.right == 1


def test_the_measures_catch_what_a_draft_gets_wrong(store: m.KnownStore) -> None:
    made = _hand_draft()
    made.source = {**made.source, "published": "2026-02-05T15:20:00+00:00", "outlet": "Reuters"}
    made.entities = [*made.entities, {"key": "geneva-2", "kind": "place", "name": "Geneva"}]
    made.facts = [
        *made.facts,
        {
            "text": "Reporting by Ottilie Brandt in Geneva",
            "about": ["geneva-2", "china"],
            "source": SOURCE_KEY,
            "date": "2026-02-04",
        },
        {
            "text": "Russia and Ukraine agreed to swap 312 prisoners.",
            "about": ["russia"],
            "source": SOURCE_KEY,
        },
    ]
    result = m.measure(GENEVA, made, store)  # type: ignore[arg-type]
    assert result.published.right == 0 and result.outlet.right == 0
    assert "china" in result.wrong_links
    assert any("drafted anew, but is geneva" in link for link in result.wrong_links)
    assert result.furniture == ["Ottilie Brandt"]
    assert result.verbatim.misses == ["'Russia and Ukraine agreed to swap 312 prisoners.'"]
    assert str(result.entities_real) == "1/2"


def test_a_draft_that_does_not_import_is_counted(store: m.KnownStore) -> None:
    made = _hand_draft()
    made.facts = [{**made.facts[0], "about": [{"entity": "nobody-known", "role": "actor"}]}]
    result = m.measure(GENEVA, made, store)  # type: ignore[arg-type]
    assert result.imports.right == 0 and "nobody-known" in result.imports.misses[0]
