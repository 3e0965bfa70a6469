"""What a followed channel is posted, decided below Discord: which facts a follow covers,
when a burst collapses, and when a daily digest is due (under a clock the test sets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.curation.transfer import load_data
from bot.follows.delivery import GAP_WAIT, Courier, watched
from bot.library import Library
from bot.records.actor import Actor
from bot.store import follows as stored

SOURCE = "russia-warns-japan-patriots-2024-03-24"
GUILD, CHANNEL = 10, 20


def add_facts(library: Library, *keys_about: tuple[str, str]) -> None:
    records = [
        {"key": key, "text": f"{key}.", "about": [about], "source": SOURCE}
        for key, about in keys_about
    ]
    load_data(library.store, {"facts": records}, "test", Actor(None, "console"))
    library.refresh()


def titles(courier: Courier, library: Library) -> list[list[str]]:
    due = courier.due([GUILD], seen=library.seen)
    for post in due:
        assert courier.claim(post)
        courier.sent(post)
    return [[answer.title for answer in post.answers] for post in due]


def test_a_dispute_covers_its_disputed_areas_and_nothing_else(own_library: Library) -> None:
    covers = watched(own_library.catalog, "kuril-islands-dispute")
    assert {"kuril-islands-dispute", "iturup", "habomai"} <= covers
    assert "japan" not in covers, "a party is not an area"
    assert watched(own_library.catalog, "japan") == {"japan"}


def test_each_fact_is_planned_once_and_a_burst_collapses(own_library: Library) -> None:
    courier = Courier(own_library)
    stored.add(own_library.store, GUILD, CHANNEL, "japan", "each", 1)
    add_facts(own_library, ("japan-a", "japan"), ("russia-a", "russia"))
    assert titles(courier, own_library) == [["New fact about Japan"]]
    assert titles(courier, own_library) == []
    add_facts(own_library, *((f"japan-b{n}", "japan") for n in range(6)))
    assert titles(courier, own_library) == [["6 new facts about Japan"]]


def test_a_daily_digest_is_due_once_a_day_after_the_hour(own_library: Library) -> None:
    now = datetime.now(UTC).replace(hour=6, minute=0) + timedelta(days=1)
    courier = Courier(own_library, digest_hour=7, clock=lambda: now)
    stored.add(own_library.store, GUILD, CHANNEL, "japan", "daily", 1)
    add_facts(own_library, ("japan-d", "japan"))
    assert titles(courier, own_library) == []
    now += timedelta(hours=1)
    assert titles(courier, own_library) == [[f"Daily digest for Japan, {now.date()}"]]
    assert titles(courier, own_library) == []


def test_a_missing_revision_number_holds_later_ones_back_for_a_while(
    own_library: Library,
) -> None:
    now = datetime.now(UTC)
    courier = Courier(own_library, clock=lambda: now)
    # Revision 13 is still being committed by another process: 14 waits for it.
    assert courier.settled([11, 12, 14, 15], 10, now) == 12
    assert courier.settled([11, 12, 14, 15], 10, now + GAP_WAIT / 2) == 12
    assert courier.settled([11, 12, 13, 14, 15], 10, now + GAP_WAIT / 2) == 15
    # A gap that stays was a rolled-back change: after a while it is passed over.
    assert courier.settled([16, 18], 15, now) == 16
    assert courier.settled([16, 18], 15, now + GAP_WAIT) == 18
