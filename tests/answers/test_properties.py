"""Properties of answering typed commands: any text, after any command name or none,
gives an answer with a status and a message, never an exception or a hang."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, PREFIX, SLASH, answer
from bot.answers.text_json import as_json, as_text
from bot.core.answer import Answer, Status
from tests.strategies import LONG, SHORT, long_text, texts, timed

names = st.sampled_from(sorted(COMMANDS))
separators = st.sampled_from(["", " ", "  ", "\t", "\n", "\u200b", "\u3000"])
command_lines = st.builds(
    lambda bang, name, gap, rest: f"{bang}{name}{gap}{rest}",
    st.sampled_from(["!", "", "! ", "！"]),
    names,
    separators,
    texts,
)
"""A command name, maybe with its prefix, then anything."""


def check_answer(catalog: Catalog, text: str) -> None:
    for syntax in (PREFIX, SLASH):
        reply = timed(answer, catalog, text, syntax)
        assert isinstance(reply, Answer)
        assert reply.status in set(Status)
        assert isinstance(reply.notice, str)
        rendered = timed(as_text, reply)
        assert isinstance(rendered, str)
        shape = timed(as_json, reply)
        assert shape["status"] in {status.value for status in Status}
        assert isinstance(shape["message"], str)
        json.dumps(shape, ensure_ascii=False)


@SHORT
@given(command_lines)
@example("!who kuril")
@example("!timeline \u202ejapan\u202c russia")
@example("!search \x00")
def test_any_command_line_is_answered(catalog: Catalog, text: str) -> None:
    check_answer(catalog, text)


@SHORT
@given(texts)
@example("")
@example("!")
@example("!!!")
def test_any_text_is_answered(catalog: Catalog, text: str) -> None:
    check_answer(catalog, text)


@LONG
@given(st.builds(lambda name, rest: f"!{name} {rest}", names, long_text) | long_text)
def test_long_lines_are_answered(catalog: Catalog, text: str) -> None:
    check_answer(catalog, text)
