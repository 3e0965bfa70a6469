"""Event dates: explicit ones, ones relative to the publication date, and none."""

from __future__ import annotations

from datetime import date

import pytest

from bot.drafting.dates import event_date, published_day

THURSDAY = date(2024, 5, 2)  # a Thursday


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The treaty was signed in 2018.", "2018"),
        ("They met on June 2, 2021, in Oslo.", "2021-06-02"),
        ("They met on 2 June 2021 in Oslo.", "2021-06-02"),
        ("The pact was agreed in March 2019.", "2019-03"),
        ("By the end of 2023, the deal was done.", "2023-12"),
        ("The talks began on 2023-11-05.", "2023-11-05"),
    ],
)
def test_explicit_dates_stand_without_a_publication_date(sentence: str, expected: str) -> None:
    assert event_date(sentence, None) == expected
    assert event_date(sentence, THURSDAY) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister spoke on Monday.", "2024-04-29"),
        ("The minister spoke Thursday.", "2024-05-02"),
        ("Earlier on Tuesday, the envoy arrived.", "2024-04-30"),
        ("The ministry said yesterday that it would reply.", "2024-05-01"),
        ("The minister will travel to Rome on Friday.", "2024-05-03"),
        ("The two sides met last month.", "2024-04"),
        ("Exports fell last year.", "2023"),
        ("The talks began in March.", "2024-03"),
        ("The summit ended on April 28.", "2024-04-28"),
    ],
)
def test_relative_dates_are_read_against_the_publication_date(sentence: str, expected: str) -> None:
    assert event_date(sentence, THURSDAY) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks went well.",
        "The ministers met last week.",  # a week: not a precision the format holds
        "The talks begin in September.",  # a month after publication: which year is unclear
        "Prices may rise, officials said.",  # "may" is not May
        "Fifteen percent of 2,000 voters agreed.",
    ],
)
def test_no_date_when_the_sentence_gives_none(sentence: str) -> None:
    assert event_date(sentence, THURSDAY) is None


def test_relative_dates_need_a_publication_date() -> None:
    assert event_date("The minister spoke on Monday.", None) is None
    assert event_date("The minister spoke yesterday.", None) is None


def test_the_date_next_to_the_verb_of_saying_wins() -> None:
    sentence = "Under the deal signed in 2018, nothing changes, the minister said on Monday."
    assert event_date(sentence, THURSDAY) == "2024-04-29"
    assert event_date("In 2018, the two countries signed a treaty.", THURSDAY) == "2018"


def test_the_publication_day_is_the_pages_own_local_day() -> None:
    assert published_day("2024-03-24T23:30:00-04:00") == date(2024, 3, 24)  # 03:30 UTC the 25th
    assert published_day("2024-03-24") == date(2024, 3, 24)
    assert published_day(None) is None
