"""A timeline's chart in Discord: attached as a PNG with a description (alt text), by
prefix and by slash, drawn off the event loop."""

from __future__ import annotations

import threading

import discord
import pytest

from bot.charts import timeline
from bot.charts.timeline import MAX_BYTES
from tests.chat.helpers import World

PNG = b"\x89PNG\r\n\x1a\n"


async def _asked(world: World, path: str, name: str) -> discord.Message:
    if path == "prefix":
        await world.alice.send(world.channel, f"!timeline {name}")
        return world.last()
    result = await world.alice.slash(world.channel, "timeline", name=name)
    assert result.response is not None and not result.ephemeral
    return result.response  # type: ignore[return-value]


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_a_timeline_comes_with_its_chart_described(world: World, path: str) -> None:
    message = await _asked(world, path, "japan")
    assert message.embeds[0].title == "Timeline: Japan"
    [attachment] = message.attachments
    assert attachment.filename == "timeline.png"
    assert (attachment.description or "").startswith(
        "Timeline chart of 6 dated facts (Timeline: Japan), 2023-12 to 2024-03"
    )
    png = await attachment.read()
    assert png.startswith(PNG) and len(png) <= MAX_BYTES


@pytest.mark.parametrize("path", ["prefix", "slash"])
async def test_a_timeline_of_two_dated_facts_has_no_chart(world: World, path: str) -> None:
    message = await _asked(world, path, "united states")
    assert message.embeds[0].title == "Timeline: United States"
    assert message.attachments == []


async def test_the_chart_is_drawn_in_a_worker_thread(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn_on: list[threading.Thread] = []
    draw = timeline.draw

    def watched(*args: object, **kwargs: object) -> bytes:
        drawn_on.append(threading.current_thread())
        return draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline, "draw", watched)
    loop_thread = threading.current_thread()
    await world.alice.send(world.channel, "!timeline nozdrev")
    assert world.last().attachments[0].filename == "timeline.png"
    assert drawn_on and drawn_on[0] is not loop_thread


async def test_an_answer_goes_out_without_its_chart_when_drawing_fails(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("no fonts today")

    monkeypatch.setattr(timeline, "draw", broken)
    await world.alice.send(world.channel, "!timeline japan")
    message = world.last()
    assert message.embeds[0].title == "Timeline: Japan" and message.attachments == []
    assert "could not draw the chart of a timeline answer" in caplog.text
