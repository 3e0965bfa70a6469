"""Speakers: who says each attributed sentence."""

from __future__ import annotations

from bot.drafting import Known
from bot.drafting.entities import find_names
from bot.drafting.sentences import split
from bot.drafting.speakers import find_speakers


def speakers(text: str, known: Known) -> list[str | None]:
    """The speaker of each sentence of text, None where it has none."""
    sentences = split(text)
    found = find_speakers(sentences, find_names(text, sentences, known))
    return [found[s.index].speaker if s.index in found else None for s in sentences]


def test_forms_of_attribution(seed_known: Known) -> None:
    text = (
        "Nikolai Nozdrev said Japan would regret it. "
        "Russia's foreign ministry warned Tokyo again. "
        '"This is a dangerous step," said Nozdrev. '
        "According to the Associated Press, the missiles could reach Ukraine. "
        "Japan told reporters it had not decided. "
        "The weather was fine."
    )
    assert speakers(text, seed_known) == [
        "nikolai-nozdrev",
        "russia",
        "nikolai-nozdrev",
        "associated-press",
        "japan",
        None,
    ]


def test_apposition_between_the_speaker_and_the_verb(seed_known: Known) -> None:
    text = "Lena Maier, the European Union's envoy to Japan, said talks would resume."
    assert speakers(text, seed_known) == ["lena-maier"]


def test_he_added_goes_to_the_previous_speaker_and_quotes_continue(seed_known: Known) -> None:
    text = (
        "Lena Maier, Austria's foreign minister, met Japan's ambassador on Monday.\n\n"
        '"We are ready to help. Nobody wants a crisis," Maier told reporters. '
        '"We will be patient," she added.\n\n'
        '"Patience is a policy."\n\n'
        "The ministry gave no details."
    )
    assert speakers(text, seed_known) == [
        None,
        "lena-maier",
        "lena-maier",
        "lena-maier",
        "lena-maier",
        None,
    ]


def test_a_pronoun_goes_to_the_last_sentences_subject(seed_known: Known) -> None:
    text = (
        "Lena Maier said the talks were useful. "
        "Foreign Minister Tomas Berg arrived later. "
        "He said he was hopeful."
    )
    assert speakers(text, seed_known)[2] == "tomas-berg"


def test_it_said_goes_to_the_last_organisation(seed_known: Known) -> None:
    text = "The White House announced the sale on Monday. It said delivery would take a year."
    assert speakers(text, seed_known) == ["white-house", "white-house"]


def test_told_names_no_speaker_after_the_verb(seed_known: Known) -> None:
    text = "The envoy told Japan that nothing had changed."
    assert speakers(text, seed_known) == [None]


def test_a_person_of_an_organisation_speaks_not_the_organisation(seed_known: Known) -> None:
    text = "Park Jae-won of the Democratic Party said the deal traded history for photographs."
    assert speakers(text, seed_known) == ["park-jae-won"]
