"""The limit-safe builders: whatever goes in, what comes out fits Discord."""

from __future__ import annotations

from bot.chat import limits
from bot.chat.limits import Field, clip, join_within, make_embed
from tests.chat.helpers import assert_within_limits


def test_clip_leaves_short_text_alone() -> None:
    assert clip("Russia", 10) == "Russia"
    assert clip("x" * 10, 10) == "x" * 10


def test_clip_cuts_long_text_to_the_limit_with_an_ellipsis() -> None:
    clipped = clip("word " * 100, 50)
    assert len(clipped) <= 50
    assert clipped.endswith("…")
    assert not clipped.endswith(" …")


def test_join_within_keeps_whole_lines_and_counts_the_rest() -> None:
    lines = [f"[{n}] [A title](https://example.org/{n})" for n in range(100)]
    joined = join_within(lines, 200)
    assert len(joined) <= 200
    kept = joined.splitlines()
    assert kept[:-1] == lines[: len(kept) - 1]
    assert kept[-1] == f"… and {100 - (len(kept) - 1)} more"


def test_join_within_clips_a_first_line_that_alone_is_too_long() -> None:
    joined = join_within(["x" * 500, "second"], 100)
    assert len(joined) <= 100
    assert joined.endswith("… and 1 more")
    assert join_within(["x" * 500], 100) == clip("x" * 500, 100)
    assert join_within([], 100) == ""


def test_make_embed_clips_every_part() -> None:
    embed = make_embed(
        title="t" * 1000,
        description="d" * 10_000,
        fields=[Field("n" * 1000, "v" * 5000) for _ in range(40)],
        footer="f" * 5000,
    )
    assert_within_limits(embed)
    assert len(embed.title or "") == limits.TITLE
    assert len(embed.footer.text or "") == limits.FOOTER


def test_make_embed_keeps_fields_and_shortens_the_description_to_fit_6000() -> None:
    fields = [Field("Sources", "s" * 1000), Field("Parties", "p" * 1000)]
    embed = make_embed(title="Title", description="d" * 4096, fields=fields)
    assert_within_limits(embed)
    assert len(embed.fields) == 2
    assert (embed.description or "").endswith("…")


def test_make_embed_gives_empty_field_parts_a_placeholder() -> None:
    embed = make_embed(description="x", fields=[Field("", "")])
    assert embed.fields[0].name and embed.fields[0].value


def test_content_button_label_and_choice_limits() -> None:
    assert len(limits.content("@" * 5000)) == limits.CONTENT
    assert len(limits.button_label("b" * 200)) == limits.BUTTON_LABEL
    choice = limits.choice("n" * 300, "v" * 300)
    assert len(choice.name) == limits.CHOICE_NAME and choice.name.endswith("…")
    assert choice.value == "v" * limits.CHOICE_VALUE
