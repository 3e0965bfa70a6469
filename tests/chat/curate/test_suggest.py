"""Suggest a correction, through the fake Discord: a member suggests on a card, a curator
accepts (and corrects the fact in its form) or dismisses, and the limits hold."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.chat.access import REFUSAL
from bot.chat.bot import DiploBot
from bot.chat.suggest import checked
from bot.errors import SuggestionError
from bot.store import suggestions
from tests.chat.curate.conftest import Desk
from tests.chat.helpers import labels

FACT = "japan-agrees-us-patriot-request"
SUGGEST = "Suggest a correction"


def form_values(result: simcord.InteractionResult) -> dict[str, str]:
    """What the form an interaction opened shows, by field."""
    assert result.modal is not None
    fields = (row["components"][0] for row in result.modal["components"])
    return {field["custom_id"]: field.get("value") or "" for field in fields}


def content(result: simcord.InteractionResult) -> str:
    assert result.response is not None and result.ephemeral
    return result.response.content or ""


async def suggest(
    desk: Desk, who: simcord.MemberActor, card: discord.Message, what: str, url: str = ""
) -> simcord.InteractionResult:
    """Press *Suggest a correction* under card as who, and send the form."""
    opened = await who.click(card, label=SUGGEST)
    assert opened.modal is not None and opened.modal["title"] == SUGGEST, opened
    return await who.submit_modal(opened, {"what": what, "url": url})


@pytest.mark.slow
async def test_a_suggestion_accepted_opens_the_fact_form_and_the_correction_is_audited(
    desk: Desk,
) -> None:
    await desk.member.send(desk.channel, "!about japan")
    card = desk.last()
    sent = await suggest(desk, desk.member, card, "The date is 2023-11.", "https://example.org/a")
    assert content(sent) == "Thank you: suggestion #1 is with the curators."

    stored = suggestions.load(desk.library.store, 1)
    assert stored.by.origin == "server" and stored.by.member_id == str(desk.member.id)
    assert stored.by.guild_name == "Diplomacy" and stored.card == "about:japan"
    assert FACT in stored.facts and 1 < len(stored.facts) <= 8  # the facts on the page shown
    post = desk.audit.last_message  # no REVIEW_CHANNEL_ID: the audit channel
    assert post is not None and labels(post) == ["Accept", "Dismiss"]
    assert post.embeds[0].title == "Suggestion #1 on “Japan”"
    assert "The date is 2023-11." in (post.embeds[0].description or "")

    picked = await desk.by_id.click(post, label="Accept")
    assert picked.ephemeral and picked.response is not None
    opened = await desk.by_id.select(picked.response.message, [FACT])
    assert opened.modal is not None and opened.modal["title"] == "Edit a fact"
    shown = form_values(opened)
    assert shown["date"] == "2023-12"
    audits = len(desk.audit.history())
    done = await desk.by_id.submit_modal(opened, {**shown, "date": "2023-11"})
    assert done.response is not None
    assert done.response.embeds[0].title == f"Changed fact '{FACT}'"
    assert len(desk.audit.history()) == audits + 1  # the correction, audited as any edit
    assert desk.library.catalog.facts[FACT].date == "2023-11"

    decided = suggestions.load(desk.library.store, 1)
    assert decided.state == "accepted" and decided.curator_name == "ivan"
    redrawn = desk.audit.history()[-2]  # the post, redrawn with the decision
    assert redrawn.id == post.id and labels(redrawn) == []
    assert "**Accepted** by ivan" in (redrawn.embeds[0].description or "")


@pytest.mark.slow
async def test_a_card_of_one_fact_opens_its_form_at_once_and_works_after_a_restart(
    desk: Desk,
) -> None:
    await desk.member.send(desk.channel, "!search white house")
    card = desk.last()
    assert card.embeds[0].title == "Facts matching “white house”"
    desk.bot = DiploBot(desk.library, desk.bot.settings)  # nothing of the first bot's memory
    await desk.env.restart_bot(desk.bot)
    await suggest(desk, desk.member, card, "Not a request but an order.")
    stored = suggestions.load(desk.library.store, 1)
    assert stored.card == "search:white house"
    assert stored.facts == (FACT,)

    post = desk.audit.last_message
    assert post is not None
    opened = await desk.by_id.click(post, label="Accept")
    assert opened.modal is not None and form_values(opened)["text"].startswith("By the end")


async def test_a_suggestion_dismissed_with_a_reason_is_recorded(desk: Desk) -> None:
    review = desk.guild.create_text_channel("review")
    desk.bot.settings = desk.bot.settings.model_copy(update={"review_channel_id": review.id})
    await desk.member.send(desk.channel, "!who nozdrev")
    await suggest(desk, desk.member, desk.last(), "He is not the ambassador.")
    post = review.last_message
    assert post is not None and post.embeds[0].title == "Suggestion #1 on “Nikolai Nozdrev”"

    opened = await desk.by_role.click(post, label="Dismiss")
    assert opened.modal is not None and opened.modal["title"] == "Dismiss suggestion #1"
    done = await desk.by_role.submit_modal(opened, {"reason": "The article says he is."})
    assert done.response is not None
    post = review.last_message
    assert post is not None and labels(post) == []
    assert "**Dismissed** by rei: The article says he is." in (post.embeds[0].description or "")
    decided = suggestions.load(desk.library.store, 1)
    assert (decided.state, decided.reason) == ("dismissed", "The article says he is.")

    again = await desk.owner.slash(desk.channel, "curate suggestion accept", number=1)
    assert again.response is not None
    assert "Suggestion 1 was already dismissed by rei" in (
        again.response.embeds[0].description or ""
    )


async def test_members_are_refused_on_accept_and_dismiss(desk: Desk) -> None:
    await desk.member.send(desk.channel, "!who nozdrev")
    await suggest(desk, desk.member, desk.last(), "Wrong.")
    post = desk.audit.last_message
    assert post is not None
    for who in (desk.member, desk.admin):
        for label in ("Accept", "Dismiss"):
            refused = await who.click(post, label=label)
            assert content(refused) == REFUSAL
    assert suggestions.load(desk.library.store, 1).state == "open"
    listed = await desk.owner.slash(desk.channel, "curate suggestions")
    assert listed.response is not None
    assert "#1 · mia (server Diplomacy) · on “Nikolai Nozdrev” · " in (
        listed.response.embeds[0].description or ""
    )


async def test_three_an_hour_and_one_open_per_card(desk: Desk) -> None:
    cards = []
    for line in ("!who nozdrev", "!about japan", "!dispute kuril", "!about russia"):
        await desk.member.send(desk.channel, line)
        cards.append(desk.last())
    again = await desk.member.click(cards[0], label=SUGGEST)
    assert again.modal is not None
    await suggest(desk, desk.member, cards[0], "One.")
    same = await desk.member.click(cards[0], label=SUGGEST)
    assert content(same) == (
        "Your suggestion #1 on this card is still open; you can suggest again here once "
        "a curator has accepted or dismissed it."
    )
    await suggest(desk, desk.member, cards[1], "Two.")
    await suggest(desk, desk.member, cards[2], "Three.")
    fourth = await desk.member.click(cards[3], label=SUGGEST)
    assert content(fourth).startswith(
        "You have made 3 suggestions in the past hour; you can suggest again <t:"
    )
    assert "\n" not in content(fourth)
    other = await suggest(desk, desk.by_id, cards[3], "Someone else may.")
    assert content(other) == "Thank you: suggestion #4 is with the curators."


@pytest.mark.parametrize(
    ("what", "url", "says"),
    [
        ("Wrong date.", "javascript:alert(1)", "The source URL must be a web address"),
        ("Wrong date.", "https://example.org/<script>", "The source URL must be a web address"),
        ("   ", "", "Say what is wrong; nothing was saved."),
    ],
)
async def test_bad_input_gets_one_line_and_nothing_is_saved(
    desk: Desk, what: str, url: str, says: str
) -> None:
    await desk.member.send(desk.channel, "!who nozdrev")
    opened = await desk.member.click(desk.last(), label=SUGGEST)
    result = await desk.member.submit_modal(opened, {"what": what, "url": url})
    assert content(result).startswith(says) and "\n" not in content(result)
    assert suggestions.open_ones(desk.library.store)[1] == 0
    assert desk.audit.last_message is None


async def test_the_form_takes_at_most_1000_characters_and_longer_gets_one_line(
    desk: Desk,
) -> None:
    await desk.member.send(desk.channel, "!who nozdrev")
    opened = await desk.member.click(desk.last(), label=SUGGEST)
    assert opened.modal is not None
    what = opened.modal["components"][0]["components"][0]
    assert (what["max_length"], what["required"]) == (1000, True)
    with pytest.raises(simcord.SetupError, match="exceeds max_length=1000"):
        await desk.member.submit_modal(opened, {"what": "x" * 5000, "url": ""})
    # What a client that skips Discord's own check would send gets one line too.
    with pytest.raises(SuggestionError) as refused:
        checked("x" * 5000, "")
    assert str(refused.value) == (
        "A suggestion is at most 1,000 characters; yours has 5,000. Nothing was saved."
    )
    assert suggestions.open_ones(desk.library.store)[1] == 0


async def test_what_the_member_typed_pings_no_one_and_is_no_markup(desk: Desk) -> None:
    await desk.member.send(desk.channel, "!who nozdrev")
    typed = f"@everyone <@{desk.owner.id}> **look** [here](https://evil.example)"
    await suggest(desk, desk.member, desk.last(), typed)
    post = desk.audit.last_message
    assert post is not None
    description = post.embeds[0].description or ""
    assert "@\u200beveryone" in description and "@everyone" not in description
    assert f"<@\u200b{desk.owner.id}>" in description
    assert "\\*\\*look\\*\\*" in description and "\\[here](" in description
    assert not post.mention_everyone and not post.mentions


async def test_a_member_in_a_dm_can_suggest_and_it_says_so(desk: Desk) -> None:
    stranger = desk.env.create_user("stranger")
    result = await stranger.slash("who", name="nozdrev")
    assert result.response is not None
    opened = await stranger.click(result.response, label=SUGGEST)
    done = await stranger.submit_modal(opened, {"what": "Wrong post.", "url": ""})
    assert content(done) == "Thank you: suggestion #1 is with the curators."
    stored = suggestions.load(desk.library.store, 1)
    assert stored.by.origin == "dm" and stored.by.guild_id is None
    post = desk.audit.last_message
    assert post is not None and "stranger" in (post.embeds[0].description or "")
    assert "in a DM" in (post.embeds[0].description or "")
