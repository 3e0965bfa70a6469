"""Sentence splitting: abbreviations, initials, quotes, paragraphs and datelines."""

from __future__ import annotations

from bot.drafting.sentences import cut_dateline, split


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split(text)]


def test_abbreviations_titles_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "Mr. Lee met Gen. Park on Sept. 22 in the U.S. capital. "
        "John F. Kennedy Jr. was mentioned. Dr. Ahn left at 5 p.m. on Monday."
    )
    assert texts(text) == [
        "Mr. Lee met Gen. Park on Sept. 22 in the U.S. capital.",
        "John F. Kennedy Jr. was mentioned.",
        "Dr. Ahn left at 5 p.m. on Monday.",
    ]


def test_an_acronym_ends_a_sentence_before_a_word_that_starts_one() -> None:
    assert texts("The envoy flew to the U.S. The talks went well.") == [
        "The envoy flew to the U.S.",
        "The talks went well.",
    ]


def test_quotes_and_question_marks_end_sentences_with_their_closing_quote() -> None:
    text = '"We are ready," she said. "Are you?" He did not answer!'
    assert texts(text) == ['"We are ready," she said.', '"Are you?"', "He did not answer!"]


def test_each_sentence_is_a_verbatim_slice_with_its_paragraph() -> None:
    text = "First one. Second one.\n\nThird   one here.\nStill third paragraph."
    sentences = split(text)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]
    assert [s.index for s in sentences] == [0, 1, 2, 3]


def test_datelines_are_cut_from_the_first_sentence_of_a_paragraph() -> None:
    for dateline, rest in [
        ("UNITED NATIONS, Sept 22 (Reuters) - ", "The council met."),
        ("WASHINGTON (AP) — ", "The president spoke."),
        ("Tokyo, March 24 (Kyodo) -- ", "Japan protested."),
        ("BEIJING — ", "China said no."),
        ("MOSCOW, June 15. /TASS/. ", "Russia said no."),
    ]:
        assert cut_dateline(dateline + rest) == len(dateline), dateline
        assert texts(dateline + rest) == [rest]


def test_an_ordinary_first_sentence_keeps_its_start() -> None:
    for text in ["The U.N. - a body of 193 states - met.", "Japan and Russia - again - talked."]:
        assert cut_dateline(text) == 0
