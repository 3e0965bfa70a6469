"""The Answer value's pieces, as every renderer reads them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.answer import SourceRef

LATE_IN_DELHI = datetime(2023, 9, 17, 22, 2, tzinfo=UTC)


def test_a_citation_shows_the_day_the_source_gave_not_the_utc_day() -> None:
    source = SourceRef("s", "Talks", "Daily", None, LATE_IN_DELHI, "2023-09-18T03:32:00+05:30")
    assert source.published_day == "2023-09-18"
    assert source.citation() == "“Talks”, Daily, 2023-09-18"


def test_json_keeps_the_instant_and_adds_the_time_as_written() -> None:
    source = SourceRef("s", "Talks", None, None, datetime(2009, 10, 1, tzinfo=UTC), "2009-10-01")
    shown = source.to_json()
    assert shown["published"] == "2009-10-01T00:00:00+00:00"  # unchanged for scripts
    assert shown["published_as"] == "2009-10-01"


def test_a_source_without_a_written_form_shows_its_utc_day() -> None:
    assert SourceRef("s", "Talks", None, None, LATE_IN_DELHI).published_day == "2023-09-17"
