"""Every curation command by prefix and by slash, through discord.py's real pipeline."""

from __future__ import annotations

from typing import Any, cast

import discord
import pytest
import simcord
import yaml

from bot.curation import edits
from bot.curation.operations import OPERATIONS
from tests.chat.curate.conftest import SOURCE, Desk
from tests.chat.helpers import enabled

PERSON = 'yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s foreign minister."'


def description(result: simcord.InteractionResult) -> str:
    assert result.response is not None
    return result.response.embeds[0].description or ""


def title(result: simcord.InteractionResult) -> str:
    assert result.response is not None
    return result.response.embeds[0].title or ""


async def test_a_curator_adds_an_entity_by_prefix_and_lookups_answer_it_at_once(
    desk: Desk,
) -> None:
    await desk.owner.send(desk.channel, f"!curate entity add {PERSON}")
    receipt = desk.last().embeds[0]
    assert receipt.title == "Added entity 'yoko-kamikawa'"
    assert "Revision #35; `!curate undo 35` reverts it." in (receipt.description or "")
    await desk.member.send(desk.channel, "!who kamikawa")
    assert desk.last().embeds[0].title == "Yoko Kamikawa"


async def test_a_fact_added_with_the_slash_form_is_answered_and_offered_right_after(
    desk: Desk,
) -> None:
    await desk.owner.send(desk.channel, f"!curate entity add {PERSON}")
    shown = await desk.owner.slash(
        desk.channel, "curate fact add", about="yoko-kamikawa=actor", source=SOURCE, date="2024-03"
    )
    assert shown.modal is not None and shown.modal["title"] == "Add a fact"
    done = await desk.owner.submit_modal(
        shown,
        {
            "text": "Kamikawa met Nozdrev in Tokyo.",
            "about": "yoko-kamikawa=actor, nikolai-nozdrev",
            "source": SOURCE,
            "date": "2024-03",
        },
    )
    assert done.ephemeral and title(done).startswith(
        "Added fact 'yoko-kamikawa-2024-03-met-nozdrev'"
    )
    who = await desk.member.slash(desk.channel, "who", name="kamikawa")
    assert "**2024-03** — Kamikawa met Nozdrev in Tokyo. [1]" in description(who)
    offered = await desk.member.autocomplete(desk.channel, "who", "name", "kamik")
    assert offered[0] == {"name": "Yoko Kamikawa", "value": "yoko-kamikawa"}
    facts = await desk.owner.autocomplete(desk.channel, "curate fact edit", "fact", "kamikawa")
    assert facts[0]["value"] == "yoko-kamikawa-2024-03-met-nozdrev"


# Each operation by prefix and by slash: (prefix line, slash path, slash options, check).
# A check reads the store after the command and says what must hold.


def _entity(desk: Desk, key: str) -> dict[str, Any] | None:
    return next((e for e in desk.snapshot()[0]["entities"] if e["key"] == key), None)


def _fact(desk: Desk, key: str) -> dict[str, Any] | None:
    return next((f for f in desk.snapshot()[0]["facts"] if f["key"] == key), None)


def _source(desk: Desk, key: str) -> dict[str, Any] | None:
    return next((s for s in desk.snapshot()[0]["sources"] if s["key"] == key), None)


FACT = "japan-agrees-us-patriot-request"

BOTH_WAYS: list[tuple[str, str, dict[str, Any], Any]] = [
    (
        '!curate source add ria-2024-03 "Nozdrev interview" outlet:"RIA Novosti"',
        "curate source add",
        {"key": "ria-2024-03", "title": "Nozdrev interview", "outlet": "RIA Novosti"},
        lambda d: (
            _source(d, "ria-2024-03")
            == {
                "key": "ria-2024-03",
                "title": "Nozdrev interview",
                "outlet": "RIA Novosti",
            }
        ),
    ),
    (
        '!curate source edit russia-warns-japan-patriots-2024-03-24 outlet:"Associated Press"',
        "curate source edit",
        {"source": SOURCE, "outlet": "Associated Press"},
        lambda d: _source(d, SOURCE)["outlet"] == "Associated Press",  # type: ignore[index]
    ),
    (
        f"!curate entity add {PERSON}",
        "curate entity add",
        {
            "key": "yoko-kamikawa",
            "kind": "person",
            "name": "Yoko Kamikawa",
            "summary": "Japan's foreign minister.",
        },
        lambda d: _entity(d, "yoko-kamikawa")["summary"] == "Japan's foreign minister.",  # type: ignore[index]
    ),
    (
        '!curate entity edit japan summary:"An island country in East Asia."',
        "curate entity edit",
        {"entity": "japan", "summary": "An island country in East Asia."},
        lambda d: _entity(d, "japan")["summary"] == "An island country in East Asia.",  # type: ignore[index]
    ),
    (
        "!curate entity links kuril-islands-dispute parties:japan,russia areas:iturup",
        "curate entity links",
        {"dispute": "kuril-islands-dispute", "parties": "japan,russia", "areas": "iturup"},
        lambda d: (
            (
                _entity(d, "kuril-islands-dispute")["parties"],  # type: ignore[index]
                _entity(d, "kuril-islands-dispute")["areas"],  # type: ignore[index]
            )
            == (["japan", "russia"], ["iturup"])
        ),
    ),
    (
        "!curate entity merge kuril-islands southern-kurils",
        "curate entity merge",
        {"keep": "kuril-islands", "other": "southern-kurils"},
        lambda d: (
            _entity(d, "southern-kurils") is None
            and "southern-kurils" in _entity(d, "kuril-islands")["former_keys"]  # type: ignore[index]
        ),
    ),
    (
        "!curate entity delete patriot",
        "curate entity delete",
        {"entity": "patriot"},
        None,  # refused: facts name it (shown in its own test)
    ),
    (
        "!curate alias add japan 日本国家 lang:ja",
        "curate alias add",
        {"entity": "japan", "text": "日本国家", "lang": "ja"},
        lambda d: {"text": "日本国家", "lang": "ja"} in _entity(d, "japan")["aliases"],  # type: ignore[index]
    ),
    (
        "!curate alias remove japan Nihon",
        "curate alias remove",
        {"entity": "japan", "text": "Nihon"},
        lambda d: "Nihon" not in _entity(d, "japan")["aliases"],  # type: ignore[index]
    ),
    (
        f"!curate fact edit {FACT} date:2023-11",
        "curate fact edit",
        {"fact": FACT, "date": "2023-11"},
        None,  # by slash this opens the form (its own test)
    ),
    (
        f"!curate fact delete {FACT}",
        "curate fact delete",
        {"fact": FACT},
        lambda d: _fact(d, FACT) is None,
    ),
    ("!curate undo 1", "curate undo", {"number": 1}, None),
]


def test_every_operation_is_covered_by_these_tests() -> None:
    here = {slash.removeprefix("curate ") for _, slash, _, _ in BOTH_WAYS}
    elsewhere = {"fact add", "import", "export", "history", "revision", "help", "article"}
    elsewhere |= {"source use"}  # tests/chat/curate/test_shortcuts.py
    elsewhere |= {"suggestions", "suggestion accept", "suggestion dismiss"}  # test_suggest.py
    assert here | elsewhere == set(OPERATIONS)


@pytest.mark.parametrize(
    ("typed", "path", "options", "holds"),
    [case for case in BOTH_WAYS if case[3] is not None],
    ids=[case[1] for case in BOTH_WAYS if case[3] is not None],
)
async def test_an_operation_does_the_same_by_prefix_and_by_slash(
    desk: Desk, typed: str, path: str, options: dict[str, Any], holds: Any
) -> None:
    before = desk.snapshot()
    await desk.by_role.send(desk.channel, typed)
    receipt = desk.last().embeds[0]
    assert receipt.colour is not None and receipt.colour.value == 0x2ECC71, receipt.description
    assert holds(desk)
    by_prefix = desk.snapshot()

    number = int((receipt.description or "").split("`!curate undo ")[1].split("`")[0])
    await desk.by_role.send(desk.channel, f"!curate undo {number}")
    assert desk.snapshot()[0] == before[0]

    result = await desk.by_id.slash(desk.channel, path, **options)
    assert result.ephemeral
    assert holds(desk)
    assert desk.snapshot()[0] == by_prefix[0]


async def test_a_fact_edited_in_the_form_keeps_what_the_curator_did_not_touch(desk: Desk) -> None:
    shown = await desk.owner.slash(desk.channel, "curate fact edit", fact=FACT)
    assert shown.modal is not None and shown.modal["title"] == "Edit a fact"
    filled = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in shown.modal["components"]
    }
    stored = _fact(desk, FACT)
    assert stored is not None
    assert filled["text"] == stored["text"] and filled["date"] == stored["date"]
    done = await desk.owner.submit_modal(shown, {**filled, "date": "2023-11"})
    assert title(done) == f"Changed fact '{FACT}'"
    assert "date: '2023-12' → '2023-11'" in description(done)
    after = _fact(desk, FACT)
    assert after == {**stored, "date": "2023-11"}


async def test_undo_by_slash_reverts_a_revision_and_can_itself_be_undone(desk: Desk) -> None:
    before = desk.snapshot()[0]
    await desk.owner.send(desk.channel, "!curate alias add japan Nippon-koku")
    changed = desk.snapshot()[0]
    undone = await desk.owner.slash(desk.channel, "curate undo", number=35)
    assert "Undid revision 35." in description(undone)
    assert desk.snapshot()[0] == before
    redone = await desk.owner.slash(desk.channel, "curate undo", number=36)
    assert "Undid revision 36." in description(redone)
    assert desk.snapshot()[0] == changed


async def test_undo_names_the_later_revision_that_blocks_it_and_changes_nothing(
    desk: Desk,
) -> None:
    await desk.owner.send(desk.channel, "!curate alias add japan Nippon-koku")
    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")
    before = desk.snapshot()
    result = await desk.owner.slash(desk.channel, "curate undo", number=35)
    assert "Revision 36 by olga changed entity 'japan' afterwards" in description(result)
    assert desk.snapshot() == before


async def test_deleting_an_entity_facts_name_is_refused_with_their_keys(desk: Desk) -> None:
    before = desk.snapshot()
    result = await desk.owner.slash(desk.channel, "curate entity delete", entity="patriot")
    text = description(result)
    assert "entity 'patriot' is still named by" in text.casefold()
    assert "'japan-agrees-us-patriot-request'" in text
    assert desk.snapshot() == before


async def test_deleting_an_entity_with_its_facts_waits_for_the_confirm_button(desk: Desk) -> None:
    before = desk.snapshot()
    await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
    asking = desk.last()
    assert (asking.embeds[0].title or "").startswith("Delete 'patriot' and")
    assert desk.snapshot() == before
    await desk.owner.click(asking, label="Delete")
    done = desk.last()
    assert (done.embeds[0].title or "").endswith("records changed")
    assert _entity(desk, "patriot") is None


async def test_cancel_writes_nothing(desk: Desk) -> None:
    before = desk.snapshot()
    await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
    await desk.owner.click(desk.last(), label="Cancel")
    assert desk.last().content == "Cancelled; nothing was changed."
    assert desk.snapshot() == before


async def test_a_confirmation_times_out_without_writing(desk: Desk) -> None:
    before = desk.snapshot()
    await desk.owner.send(desk.channel, "!curate entity delete patriot with_facts:yes")
    await desk.env.advance_time(desk.bot.view_timeout)
    assert desk.last().content == "Timed out; nothing was changed."
    with pytest.raises(simcord.SetupError):
        await desk.owner.click(desk.last(), label="Delete")
    assert desk.snapshot() == before


GOOD_FILE = yaml.safe_dump(
    {
        "entities": [
            {"key": "yoko-kamikawa", "kind": "person", "name": "Yoko Kamikawa"},
        ],
        "facts": [
            {
                "key": "kamikawa-test-fact",
                "text": "Kamikawa spoke about the Patriot transfer.",
                "about": ["yoko-kamikawa", "patriot"],
                "source": SOURCE,
            }
        ],
    }
).encode()
BAD_FILE = (
    b"facts:\n  - text: Something.\n    about: [japn]\n    source: nowhere\n    date: 2024-02-30\n"
)


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_an_attached_import_is_previewed_and_applied_on_confirm(
    desk: Desk, path: str
) -> None:
    before = desk.snapshot()
    if path == "prefix":
        await desk.owner.send(
            desk.channel, "!curate import", attachments=[("more.yaml", GOOD_FILE)]
        )
        preview = desk.last()
    else:
        result = await desk.owner.slash(
            desk.channel, "curate import", file=("more.yaml", GOOD_FILE)
        )
        assert result.ephemeral and result.response is not None
        preview = result.response.message
    embed = preview.embeds[0]
    assert embed.title == "Import more.yaml?"
    assert "1 entity, 1 fact created; 0 updated; 0 unchanged" in (embed.description or "")
    assert "added entity 'yoko-kamikawa'" in (embed.description or "")
    assert desk.snapshot() == before
    await desk.owner.click(preview, label="Import")
    assert _fact(desk, "kamikawa-test-fact") is not None
    await desk.member.send(desk.channel, "!who kamikawa")
    assert desk.last().embeds[0].title == "Yoko Kamikawa"


REPEATING_FILE = yaml.safe_dump(
    {
        "entities": [{"key": "nozdrev", "kind": "person", "name": "Nikolai Nozdrev"}],
        "facts": [
            {
                "key": "patriots-again",
                "text": "By the end of 2023 the White House announced that Japan had agreed to "
                "a United States request to supply Patriot air defense systems.",
                "about": ["japan"],
                "source": SOURCE,
            }
        ],
    }
).encode()


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_an_import_preview_warns_of_what_the_store_has_under_other_keys(
    desk: Desk, path: str
) -> None:
    if path == "prefix":
        await desk.owner.send(
            desk.channel, "!curate import", attachments=[("repeat.yaml", REPEATING_FILE)]
        )
        preview = desk.last()
    else:
        result = await desk.owner.slash(
            desk.channel, "curate import", file=("repeat.yaml", REPEATING_FILE)
        )
        assert result.response is not None
        preview = result.response.message
    text = preview.embeds[0].description or ""
    assert (
        "⚠ entity 'nozdrev': the store already answers to 'Nikolai Nozdrev' as 'nikolai-nozdrev'"
        in text
    )
    assert f"⚠ fact 'patriots-again': nearly the same text as stored fact '{FACT}'" in text
    assert enabled(preview, "Import")


async def test_the_import_button_is_answered_before_the_import_runs(desk: Desk) -> None:
    """Discord gives a click 3 s; a large import takes longer. The click is answered at
    once with the buttons greyed out, and the result replaces the preview afterwards."""
    await desk.owner.send(desk.channel, "!curate import", attachments=[("more.yaml", GOOD_FILE)])
    preview = desk.last()
    edits_seen: list[tuple[list[str], list[bool]]] = []

    async def edited(payload: discord.RawMessageUpdateEvent) -> None:
        if payload.message_id == preview.id:
            titles = [embed.get("title", "") for embed in payload.data.get("embeds", [])]
            disabled = [
                bool(button.get("disabled"))
                for row in cast(list[dict[str, Any]], payload.data.get("components", []))
                for button in row.get("components", [])
            ]
            edits_seen.append((titles, disabled))

    desk.bot.add_listener(edited, "on_raw_message_edit")
    await desk.owner.click(preview, label="Import")
    assert edits_seen[0] == (["Import more.yaml?"], [True, True])  # answered, greyed out
    assert edits_seen[-1][0][0].startswith("Imported more.yaml")
    assert edits_seen[-1][1] == []  # no buttons left
    assert _fact(desk, "kamikawa-test-fact") is not None


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_an_import_with_errors_lists_each_problem_and_writes_nothing(
    desk: Desk, path: str
) -> None:
    before = desk.snapshot()
    if path == "prefix":
        await desk.owner.send(desk.channel, "!curate import", attachments=[("bad.yaml", BAD_FILE)])
        text = desk.last().embeds[0].description or ""
    else:
        result = await desk.owner.slash(desk.channel, "curate import", file=("bad.yaml", BAD_FILE))
        assert result.ephemeral
        text = description(result)
    assert "bad.yaml: 3 problems, nothing was imported." in text
    assert "facts[0].about[0]: no entity 'japn' (did you mean 'japan'?)" in text
    assert "facts[0].source: no source 'nowhere'" in text
    assert desk.snapshot() == before


async def test_an_import_without_a_file_says_to_attach_one(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate import")
    assert desk.last().content == "attach the file to your message (a .yaml or .json file)"


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_export_attaches_the_whole_store_in_the_import_format(desk: Desk, path: str) -> None:
    if path == "prefix":
        await desk.owner.send(desk.channel, "!curate export")
        attachment = desk.last().attachments[0]
    else:
        result = await desk.owner.slash(desk.channel, "curate export")
        assert result.response is not None and result.ephemeral
        attachment = result.response.attachments[0]
    assert attachment.filename.endswith(".yaml")
    assert yaml.safe_load(await attachment.read()) == desk.snapshot()[0]


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_history_lists_revisions_and_a_revision_shows_its_diff(desk: Desk, path: str) -> None:
    await desk.owner.send(desk.channel, '!curate alias add japan Yamato reason:"old name"')
    if path == "prefix":
        await desk.owner.send(desk.channel, "!curate history japan")
        listing = desk.last().embeds[0].description or ""
        await desk.owner.send(desk.channel, "!curate revision 35")
        detail = desk.last().embeds[0]
    else:
        listing = description(
            await desk.owner.slash(desk.channel, "curate history", record="japan")
        )
        result = await desk.owner.slash(desk.channel, "curate revision", number=35)
        assert result.response is not None
        detail = result.response.embeds[0]
    assert (
        "#35 · " in listing
        and "olga in Diplomacy · changed entity 'japan' (aliases + 'Yamato') · “old name”"
        in listing
    )
    assert "#4 · " in listing and "seed (file) · created entity 'japan'" in listing
    assert detail.title == "Revision 35: changed entity 'japan'"
    assert "aliases: + 'Yamato'" in (detail.description or "")


async def test_a_revision_picked_from_history_can_be_undone_with_its_button(desk: Desk) -> None:
    before = desk.snapshot()[0]
    await desk.owner.send(desk.channel, "!curate alias add japan Yamato")
    await desk.owner.send(desk.channel, "!curate history japan")
    listing = desk.last()
    shown = await desk.owner.select(listing, ["35"])
    assert shown.response is not None
    assert shown.response.embeds[0].title == "Revision 35: changed entity 'japan'"
    await desk.owner.click(shown.response.message, label="Undo #35")
    assert desk.snapshot()[0] == before


async def test_history_pages_turn_for_its_curator(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate history")
    listing = desk.last()
    assert (listing.embeds[0].footer.text or "").startswith("Page 1/")
    await desk.owner.click(listing, label="▶")
    assert "Page 2/" in (desk.last().embeds[0].footer.text or "")


async def test_help_lists_every_command_with_the_prefix_typed(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate")
    pages = [desk.last().embeds[0].description or ""]
    while enabled(desk.last(), "▶") and len(pages) < 5:
        await desk.owner.click(desk.last(), label="▶")
        pages.append(desk.last().embeds[0].description or "")
    text = "\n".join(pages).replace("\\_", "_")
    for spec in OPERATIONS.values():
        assert f"!{spec.usage}: " in text, spec.name


async def test_bad_arguments_get_a_usage_line_and_change_nothing(desk: Desk) -> None:
    before = desk.snapshot()
    await desk.owner.send(desk.channel, "!curate alias add japan")
    assert desk.last().content == (
        "`text` is missing. Usage: `!curate alias add ENTITY TEXT [lang:LANG] [reason:REASON]`"
    )
    await desk.owner.send(desk.channel, "!curate undo twelve")
    assert "`number:` takes a number" in (desk.last().embeds[0].description or "")
    await desk.owner.send(desk.channel, "!curate alias add japn Nippon-koku")
    assert "No entity 'japn' (did you mean 'japan'?)." in (desk.last().embeds[0].description or "")
    assert desk.snapshot() == before


async def test_a_stale_edit_is_refused_and_the_curator_can_reopen_the_draft(desk: Desk) -> None:
    shown = await desk.owner.slash(desk.channel, "curate fact edit", fact=FACT)
    assert shown.modal is not None
    await desk.by_id.send(desk.channel, f"!curate fact edit {FACT} type:request")
    opened = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in shown.modal["components"]
    }
    draft = {**opened, "text": "Japan agreed to the request, the White House said."}
    refused = await desk.owner.submit_modal(shown, draft)
    assert refused.ephemeral
    assert "changed since you opened it (revision 35 by ivan)" in description(refused)
    assert _fact(desk, FACT)["text"] != draft["text"]  # type: ignore[index]
    reopened = await desk.owner.click(refused.response.message, label="Reopen the form")  # type: ignore[union-attr]
    assert reopened.modal is not None
    values = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in reopened.modal["components"]
    }
    assert values["text"] == draft["text"]
    saved = await desk.owner.submit_modal(reopened, values)
    assert title(saved) == f"Changed fact '{FACT}'"
    assert _fact(desk, FACT)["text"] == draft["text"]  # type: ignore[index]
    assert _fact(desk, FACT)["type"] == "request"  # type: ignore[index]


async def test_a_form_with_problems_lists_them_and_reopens_filled_in(desk: Desk) -> None:
    before = desk.snapshot()
    shown = await desk.owner.slash(desk.channel, "curate fact add", source=SOURCE)
    typed = {
        "text": "A long statement the curator does not want to type twice.",
        "about": "japn",
        "source": SOURCE,
        "date": "2024-02-30",
    }
    failed = await desk.owner.submit_modal(shown, typed)
    text = description(failed)
    assert "The fact has 2 problems; nothing was changed." in text
    assert "date: '2024-02-30' is not a date" in text
    assert "about[0]: no entity 'japn' (did you mean 'japan'?)" in text
    assert desk.snapshot() == before
    again = await desk.owner.click(failed.response.message, label="Reopen the form")  # type: ignore[union-attr]
    assert again.modal is not None
    values = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in again.modal["components"]
    }
    assert {k: values[k] for k in typed} == typed


def test_the_clear_marker_is_documented_in_help() -> None:
    assert edits.CLEAR == "-"


async def test_a_fact_added_by_prefix_takes_the_rest_of_the_line_as_its_text(desk: Desk) -> None:
    await desk.owner.send(
        desk.channel,
        f"!curate fact add about:nikolai-nozdrev=actor,japan source:{SOURCE} date:2024-03 "
        'Nozdrev said Japan\'s "decision" was rushed.',
    )
    receipt = desk.last().embeds[0]
    assert (receipt.title or "").startswith("Added fact 'nikolai-nozdrev-2024-03-japan-decision'")
    await desk.member.send(desk.channel, "!search decision was rushed")
    found = desk.last().embeds[0].description or ""
    assert 'Nozdrev said Japan\'s "decision" was rushed.' in found


async def test_an_entity_no_fact_names_is_deleted_by_slash(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate entity add kamikawa person Kamikawa")
    result = await desk.owner.slash(desk.channel, "curate entity delete", entity="kamikawa")
    assert title(result) == "Deleted entity 'kamikawa'"
    assert _entity(desk, "kamikawa") is None
