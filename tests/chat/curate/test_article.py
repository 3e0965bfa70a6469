"""``/curate article`` and ``!curate article`` through discord.py's real pipeline: a news
article becomes a draft, reviewed with its buttons (keep, drop, edit, pages), imported
through the import's own preview and confirm, downloaded and attached back, refused to
anyone but its curator, and still working after a restart."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
import yaml
from aiohttp import web
from sqlmodel import func, select, update

from bot.chat.access import REFUSAL
from bot.chat.bot import DiploBot
from bot.config import Settings
from bot.errors import ConfigError
from bot.store.models import Draft, utcnow
from tests.chat.curate.conftest import Desk
from tests.chat.helpers import assert_within_limits, buttons, enabled, labels

HTML = (Path(__file__).parent / "article.html").read_bytes()
SOURCE = "japan-and-russia-reopen-talks-on-the-kuril-2024-05-16"
FILENAME = f"draft-{SOURCE}.yaml"
PARAPHRASE = "Ishikawa told reporters Japan wants its fishing rights near the islands back."


def drafts_saved(desk: Desk) -> int:
    with desk.library.store.transaction() as session:
        return session.exec(select(func.count()).select_from(Draft)).one()


def shown(result: simcord.InteractionResult) -> discord.Message:
    """The message an interaction answered with (or the one it edited)."""
    assert result.response is not None, result
    return result.response.message


def text_of(message: discord.Message) -> str:
    embed = message.embeds[0]
    return f"{embed.title}\n{embed.description}\n{embed.footer.text}"


async def open_by_slash(desk: Desk, who: simcord.MemberActor | None = None) -> discord.Message:
    result = await (who or desk.owner).slash(
        desk.channel, "curate article", file=("harbour.html", HTML)
    )
    assert result.ephemeral
    return shown(result)


async def test_a_curator_reviews_a_drafted_article_imports_it_and_can_undo_it(
    desk: Desk,
) -> None:
    before = desk.snapshot()
    review = await open_by_slash(desk)
    first = text_of(review)
    assert first.startswith("Draft 1: Japan and Russia reopen talks on the Kuril Islands")
    assert "Harbour Wire · 2024-05-16T09:30:00+09:00" in first
    assert "**New entities:** Haruto Ishikawa (person)" in first
    assert "Page 1/2 · 7 of 7 facts kept" in first
    assert "window.tracker" not in first and "cookies" not in first
    assert labels(review) == [
        *(f"Drop {n}" for n in range(1, 6)),
        *(f"Edit {n}" for n in range(1, 6)),
        "◀",
        "▶",
        "Import selected",
        "Download draft",
    ]
    assert_within_limits(review.embeds[0])
    assert desk.snapshot() == before  # a draft is not a change to the store

    # Drop two facts: the quote and the White House's statement.
    review = shown(await desk.owner.click(review, label="Drop 3"))
    review = shown(await desk.owner.click(review, label="Drop 5"))
    assert "Page 1/2 · 5 of 7 facts kept" in text_of(review)
    assert "**3.** ❌ dropped" in text_of(review) and enabled(review, "Keep 3")

    # Edit one in the fact form, which shows it as drafted.
    opened = await desk.owner.click(review, label="Edit 2")
    assert opened.modal is not None and opened.modal["title"] == "Edit a drafted fact"
    fields = {
        row["components"][0]["custom_id"]: row["components"][0].get("value") or ""
        for row in opened.modal["components"]
    }
    assert fields["text"].startswith("Haruto Ishikawa, Japan's deputy foreign minister, told")
    assert fields["about"] == "haruto-ishikawa=actor, japan=subject"
    assert fields["source"] == SOURCE
    edited = await desk.owner.submit_modal(opened, {**fields, "text": PARAPHRASE})
    review = shown(edited)
    assert PARAPHRASE in text_of(review)

    # The second page turns.
    page_two = shown(await desk.owner.click(review, label="▶"))
    assert "Page 2/2" in text_of(page_two) and "**7.** ✅" in text_of(page_two)
    assert labels(page_two)[:4] == ["Drop 6", "Drop 7", "Edit 6", "Edit 7"]

    # Import selected goes into the import's own preview and confirm.
    preview = shown(await desk.owner.click(page_two, label="Import selected"))
    assert preview.embeds[0].title == f"Import {FILENAME}?"
    assert "1 source, 1 entity, 5 facts created" in (preview.embeds[0].description or "")
    assert desk.snapshot() == before
    imported = (await desk.owner.click(preview, label="Import")).response
    assert imported is not None
    receipt = imported.embeds[0].description or ""
    assert receipt.startswith(f"Imported {FILENAME}: 1 source, 1 entity, 5 facts created")
    number = int(receipt.split("`/curate undo number:")[1].split("`")[0])  # asked by slash
    await desk.member.send(desk.channel, "!who ishikawa")
    card = desk.last().embeds[0]
    assert card.title == "Haruto Ishikawa"
    assert card.description is not None
    assert f"{PARAPHRASE} [1]" in card.description
    assert "Ishikawa said the next round would be held in Moscow in July. [1]" in card.description
    assert "We came to listen" not in card.description  # dropped
    sources = {field.name: field.value for field in card.fields}["Sources"] or ""
    assert "Japan and Russia reopen talks on the Kuril Islands" in sources
    assert "Harbour Wire" in sources

    # One undo removes the whole import.
    await desk.owner.send(desk.channel, f"!curate undo {number}")
    assert desk.snapshot()[0] == before[0]
    await desk.member.send(desk.channel, "!who haruto ishikawa")
    assert desk.last().embeds[0].title != "Haruto Ishikawa"


async def test_import_selected_warns_of_a_drafted_fact_the_store_has_under_another_key(
    desk: Desk,
) -> None:
    await desk.owner.send(
        desk.channel,
        "!curate fact add about:japan source:russia-warns-japan-patriots-2024-03-24 "
        "key:moscow-round Ishikawa said the next round would be held in Moscow in July 2024.",
    )
    review = await open_by_slash(desk)
    preview = shown(await desk.owner.click(review, label="Import selected"))
    assert preview.embeds[0].title == f"Import {FILENAME}?"
    text = preview.embeds[0].description or ""
    assert "nearly the same text as stored fact 'moscow-round' (ratio 96)" in text
    assert enabled(preview, "Import")


async def test_the_draft_downloaded_edited_and_attached_back_imports(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate article", attachments=[("harbour.html", HTML)])
    review = desk.last()
    assert not review.attachments  # the file comes with Download draft, edits applied
    review = shown(await desk.owner.click(review, label="Drop 1"))
    downloaded = await desk.owner.click(review, label="Download draft")
    assert downloaded.ephemeral
    [attached] = shown(downloaded).attachments
    assert attached.filename == FILENAME
    document = yaml.safe_load(await attached.read())
    assert len(document["facts"]) == 6
    assert not any(fact["text"].startswith("Japan and Russia held") for fact in document["facts"])

    document["facts"] = document["facts"][:2]
    document["entities"][0]["summary"] = "Japan's deputy foreign minister since 2023."
    edited = yaml.safe_dump(document, allow_unicode=True).encode()
    await desk.owner.send(desk.channel, "!curate import", attachments=[(FILENAME, edited)])
    preview = desk.last()
    assert "1 source, 1 entity, 2 facts created" in (preview.embeds[0].description or "")
    await desk.owner.click(preview, label="Import")
    await desk.member.send(desk.channel, "!who haruto ishikawa")
    card = desk.last().embeds[0]
    assert card.title == "Haruto Ishikawa"
    assert "since 2023" in (card.description or "")


async def test_only_the_curator_who_opened_a_draft_can_act_on_it(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate article", attachments=[("harbour.html", HTML)])
    review = desk.last()
    before = desk.snapshot()
    for label in ("Drop 1", "Edit 1", "▶", "Import selected", "Download draft"):
        other = await desk.by_id.click(review, label=label)
        assert other.ephemeral and other.modal is None, label
        assert shown(other).content == (
            "Only olga, who opened draft 1, can review it; "
            "draft an article of your own with `/curate article`."
        )
        assert not shown(other).attachments and not shown(other).embeds
        member = await desk.member.click(review, label=label)
        assert shown(member).content == REFUSAL and member.ephemeral
    assert "7 of 7 facts kept" in text_of(desk.last())
    assert desk.snapshot() == before


async def test_a_draft_works_after_a_restart_until_it_expires(desk: Desk) -> None:
    await desk.owner.send(desk.channel, "!curate article", attachments=[("harbour.html", HTML)])
    review = desk.last()
    desk.bot = DiploBot(desk.library, Settings.from_mapping({"DATABASE_URL": "sqlite://"}))
    desk.bot.owner_id = desk.owner.id
    await desk.env.restart_bot(desk.bot)
    pressed = await desk.owner.click(review, label="Drop 2")
    assert not pressed.ephemeral
    assert "6 of 7 facts kept" in text_of(desk.last())
    assert enabled(desk.last(), "Keep 2")

    with desk.library.store.writing() as session:
        session.exec(update(Draft).values(expires=utcnow() - timedelta(seconds=1)))
    late = await desk.owner.click(desk.last(), label="Keep 2")
    assert late.ephemeral
    assert shown(late).content == (
        "Draft 1 does not exist or has expired (drafts last 7 days); "
        "open the article again with `curate article`."
    )


async def test_an_article_pasted_in_the_form_is_drafted(desk: Desk) -> None:
    opened = await desk.owner.slash(desk.channel, "curate article")
    assert opened.modal is not None and opened.modal["title"] == "Paste an article"
    text = (
        "Ministers meet in Tokyo\n\n"
        "Haruto Ishikawa, Japan's deputy foreign minister, met Nikolai Nozdrev on Monday.\n\n"
        "Ishikawa said Japan wanted the Kuril Islands talks to continue."
    )
    result = await desk.owner.submit_modal(
        opened, {"text": text, "outlet": "Harbour Wire", "published": "2024-05-16"}
    )
    assert result.ephemeral
    assert text_of(shown(result)).startswith("Draft 1: Ministers meet in Tokyo")
    assert "Harbour Wire · 2024-05-16" in text_of(shown(result))


async def test_what_the_article_says_is_shown_as_text_never_as_markup(desk: Desk) -> None:
    opened = await desk.owner.slash(desk.channel, "curate article")
    text = (
        "Haruto Ishikawa, Japan's deputy foreign minister, said **nothing** about "
        "[the deal](https://evil.example) to @everyone on Monday."
    )
    result = await desk.owner.submit_modal(
        opened, {"text": text, "title": "*Breaking* __news__", "published": "2024-05-16"}
    )
    embed = shown(result).embeds[0]
    assert embed.title == "Draft 1: \\*Breaking\\* \\_\\_news\\_\\_"
    assert "said \\*\\*nothing\\*\\* about" in (embed.description or "")
    assert shown(result).mentions == [] and not shown(result).mention_everyone
    assert_within_limits(embed)


# --- a URL ------------------------------------------------------------------------


@pytest.fixture
async def page_url() -> AsyncIterator[str]:
    """The article served by aiohttp on 127.0.0.1, on the test's own event loop (the bot
    fetches from a worker thread, so the loop is free to answer)."""

    async def page(_: web.Request) -> web.Response:
        return web.Response(body=HTML, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/world/kurils.html", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/world/kurils.html"
    await runner.cleanup()


async def test_an_article_is_fetched_from_a_url_when_private_urls_are_allowed(
    desk: Desk, page_url: str
) -> None:
    desk.library.allow_private_urls = True
    await desk.owner.send(desk.channel, f"!curate article {page_url}")
    review = desk.last()
    assert text_of(review).startswith("Draft 1: Japan and Russia reopen talks")
    assert review.embeds[0].url == page_url


async def test_a_private_url_is_refused_in_one_line(desk: Desk, page_url: str) -> None:
    assert not desk.library.allow_private_urls
    await desk.owner.send(desk.channel, f"!curate article {page_url}")
    reply = desk.last()
    assert not reply.embeds and not buttons(reply)
    assert "127.0.0.1" in reply.content and "\n" not in reply.content
    assert drafts_saved(desk) == 0


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"file": ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)}, "PNG"),
        ({"file": ("empty.html", b"<html><body><nav>Home</nav></body></html>")}, "no article"),
        (
            {"file": ("harbour.html", HTML), "url": "https://example.com/a.html"},
            "Give the article one way",
        ),
        ({"url": "ftp://example.com/a.html"}, "not a web address"),
    ],
    ids=["binary", "empty page", "file and url", "not http"],
)
async def test_bad_input_gets_one_private_line_and_writes_nothing(
    desk: Desk, options: dict[str, Any], says: str
) -> None:
    before = desk.snapshot()
    result = await desk.owner.slash(desk.channel, "curate article", **options)
    assert result.ephemeral
    reply = shown(result)
    assert says in reply.content and "\n" not in reply.content
    assert not reply.embeds and not buttons(reply)
    assert desk.snapshot() == before and drafts_saved(desk) == 0


async def test_an_unreachable_port_is_one_line_too(desk: Desk) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    desk.library.allow_private_urls = True
    await desk.owner.send(desk.channel, f"!curate article http://127.0.0.1:{port}/gone")
    assert "\n" not in desk.last().content and desk.last().content
    assert drafts_saved(desk) == 0


@pytest.mark.parametrize(
    ("typed", "allowed"), [("", False), ("0", False), ("1", True), ("yes", True), (None, False)]
)
def test_private_urls_are_refused_unless_the_setting_says_1(
    typed: str | None, allowed: bool
) -> None:
    env = {"DATABASE_URL": "sqlite://"}
    if typed is not None:
        env["DRAFT_ALLOW_PRIVATE_URLS"] = typed
    assert Settings.from_mapping(env).draft_allow_private_urls is allowed


def test_a_bad_private_urls_setting_is_one_line() -> None:
    with pytest.raises(ConfigError, match="DRAFT_ALLOW_PRIVATE_URLS must be 1 or 0, not 'maybe'"):
        Settings.from_mapping({"DATABASE_URL": "sqlite://", "DRAFT_ALLOW_PRIVATE_URLS": "maybe"})
