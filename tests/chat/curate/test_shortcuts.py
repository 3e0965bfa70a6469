"""Curators' shortcuts on Discord, through discord.py's real pipeline: a current source
(`curate source use`), one list item added or removed (`about:+…`), several aliases at
once, the words people use for kinds and event types, and refusals that name the fix."""

from __future__ import annotations

import simcord

from bot.curation.edits import read_record
from bot.store import current_sources
from tests.chat.curate.conftest import SOURCE, Desk

FACT = "japan-liberalizes-arms-export-rules"
"""A seed fact about japan (actor) and patriot (mentioned)."""


def description(result: simcord.InteractionResult) -> str:
    assert result.response is not None
    return result.response.embeds[0].description or ""


def said(desk: Desk) -> str:
    """The description of the bot's latest card in the news channel."""
    return desk.last().embeds[0].description or ""


def stored(desk: Desk, kind: str, key: str) -> dict[str, object]:
    return read_record(desk.library.store, kind, key)[0]


async def test_a_curators_current_source_is_cited_by_the_facts_they_add_next(desk: Desk) -> None:
    chosen = await desk.owner.slash(desk.channel, "curate source use", source=SOURCE)
    assert f"now cites '{SOURCE}', for 24 hours or until you change it" in description(chosen)
    assert current_sources.recall(desk.library.store, str(desk.owner.id)) == SOURCE

    await desk.owner.send(desk.channel, "!curate fact add about:japan Japan replied to Russia.")
    receipt = said(desk)
    assert f"It cites your current source '{SOURCE}'" in receipt
    title = desk.last().embeds[0].title or ""
    assert title.startswith("Added fact 'japan-replied-russia")
    assert stored(desk, "fact", title.split("'")[1])["source"] == SOURCE

    # Another curator has none of their own: refused, with the way to set one.
    before = desk.snapshot()
    await desk.by_id.send(desk.channel, "!curate fact add about:japan Japan replied again.")
    assert "choose one for the facts you add next with `curate source use SOURCE`" in said(desk)
    assert desk.snapshot() == before


async def test_the_fact_form_left_without_a_source_uses_the_current_one(desk: Desk) -> None:
    await desk.owner.send(desk.channel, f"!curate source use {SOURCE}")
    shown = await desk.owner.slash(desk.channel, "curate fact add", about="japan=actor")
    assert shown.modal is not None
    done = await desk.owner.submit_modal(shown, {"text": "Japan answered.", "about": "japan"})
    assert f"It cites your current source '{SOURCE}'" in description(done)
    await desk.owner.send(desk.channel, "!curate source use -")
    assert current_sources.recall(desk.library.store, str(desk.owner.id)) is None


async def test_an_unknown_source_to_use_gets_a_suggestion(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate source use russia-warns-japan-2024-03-24")
    assert f"(did you mean '{SOURCE}'?)" in said(desk)


async def test_one_subject_is_added_by_prefix_and_one_area_removed_by_slash(desk: Desk) -> None:
    await desk.owner.send(desk.channel, f"!curate fact edit {FACT} about:+white-house=mentioned")
    assert stored(desk, "fact", FACT)["about"] == [
        {"entity": "japan", "role": "actor"},
        {"entity": "patriot", "role": "mentioned"},
        {"entity": "white-house", "role": "mentioned"},
    ]
    result = await desk.owner.slash(
        desk.channel, "curate entity links", dispute="kuril-islands-dispute", areas="-habomai"
    )
    assert "Changed entity 'kuril-islands-dispute'" in (result.response.embeds[0].title or "")  # type: ignore[union-attr]
    assert "habomai" not in stored(desk, "entity", "kuril-islands-dispute")["areas"]  # type: ignore[operator]

    before = desk.snapshot()
    await desk.owner.send(desk.channel, f"!curate fact edit {FACT} about:white-house,-patriot")
    assert "`about:` mixes items with + or - and items without" in said(desk)
    assert desk.snapshot() == before


async def test_several_aliases_and_a_dispute_with_its_links_are_added_by_prefix(
    desk: Desk,
) -> None:
    await desk.owner.send(desk.channel, "!curate alias add russia RF | Rossiya")
    assert "Added the aliases 'RF', 'Rossiya' to 'russia'." in said(desk)
    await desk.owner.send(
        desk.channel,
        '!curate entity add habomai-dispute dispute "Habomai dispute" '
        'parties:russia,japan areas:habomai aliases:"Habomai question | 歯舞群島問題"',
    )
    assert desk.last().embeds[0].title == "Added entity 'habomai-dispute'"
    dispute = stored(desk, "entity", "habomai-dispute")
    assert (dispute["parties"], dispute["areas"]) == (["russia", "japan"], ["habomai"])
    assert dispute["aliases"] == ["Habomai question", "歯舞群島問題"]


async def test_a_bad_language_names_the_field_typed(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate alias add iturup Etorofu-to lang:Japanese")
    assert "lang: 'Japanese' is not a language code like 'ru'" in said(desk)
    assert "aliases[" not in said(desk)


async def test_organisation_and_a_meeting_are_taken_as_the_words_they_mean(desk: Desk) -> None:
    await desk.owner.send(desk.channel, '!curate entity add asean organisation "ASEAN"')
    assert stored(desk, "entity", "asean")["kind"] == "organization"
    await desk.owner.send(desk.channel, f"!curate fact edit {FACT} type:meeting")
    assert "type: 'meeting' was recorded as 'consult', the event type it means." in said(desk)
    assert stored(desk, "fact", FACT)["type"] == "consult"
    before = desk.snapshot()
    await desk.owner.send(desk.channel, f"!curate fact edit {FACT} type:reply")
    assert "unknown event type 'reply' (use one of: statement, claim, threaten," in said(desk)
    assert desk.snapshot() == before


async def test_refusals_name_the_fix(desk: Desk) -> None:
    result = await desk.owner.slash(desk.channel, "curate entity delete", entity="patriot")
    assert "`curate entity delete patriot with_facts:yes`" in description(result)

    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")  # revision 35
    await desk.owner.send(desk.channel, "!curate alias add japan Nippon-koku")  # 36
    await desk.by_id.send(desk.channel, "!curate alias remove japan Yamato")  # 37
    before = desk.snapshot()
    result = await desk.owner.slash(desk.channel, "curate undo", number=35)
    text = description(result)
    assert "Revision 37 by ivan changed entity 'japan' afterwards" in text
    assert "revision 36 by olga changed entity 'japan' afterwards" in text
    assert "`curate undo 37`, then `curate undo 36`" in text
    assert desk.snapshot() == before
