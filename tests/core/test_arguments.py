"""Reading typed command lines into parameters, as `!who …` and `curate …` lines are read."""

from __future__ import annotations

import pytest

from bot.answers.commands import COMMANDS
from bot.core.arguments import (
    Arg,
    Param,
    UsageError,
    bind,
    flag,
    number,
    split_list,
    subjects,
)
from bot.curation.operations import OPERATIONS
from bot.errors import QueryError

WHO = COMMANDS["who"]
TIMELINE = COMMANDS["timeline"]
ENTITY_ADD = OPERATIONS["entity add"]
SOURCE_ADD = OPERATIONS["source add"]
FACT_ADD = OPERATIONS["fact add"]
ENTITY_DELETE = OPERATIONS["entity delete"]
IMPORT = OPERATIONS["import"]
HISTORY = OPERATIONS["history"]
SOURCE = "russia-warns-japan-patriots-2024-03-24"

PAIR = (Param("name", "An entity"), Param("other", "A second entity"))
"""A lookup taking two names, both required, like a `!relations NAME OTHER` would."""
PAIR_USAGE = "!relations NAME OTHER"


def fact_add(text: str, *, complete: bool = True) -> dict[str, str]:
    return bind(FACT_ADD.params, text, FACT_ADD.usage, complete=complete)


# --- names and long texts take every word left ---------------------------------


def test_a_name_takes_every_word() -> None:
    assert bind(WHO.params, "nikolai nozdrev", WHO.usage) == {"name": "nikolai nozdrev"}
    assert bind(WHO.params, "Nikolai  Nozdrev", WHO.usage) == {"name": "Nikolai Nozdrev"}


@pytest.mark.parametrize(
    "text",
    [
        "south korea japan",
        '"south korea" japan',
        "“south korea” japan",
        "„south korea“ japan",
        'south korea "japan"',
        "other:japan south korea",
        'japan name:"south korea"',
    ],
)
def test_two_names_leave_one_word_for_the_second(text: str) -> None:
    expected = {"name": "south korea", "other": "japan"}
    assert bind(PAIR, text, PAIR_USAGE) == expected


def test_a_quoted_first_name_ends_where_its_quote_does() -> None:
    assert bind(PAIR, '"japan" south korea', PAIR_USAGE) == {
        "name": "japan",
        "other": "south korea",
    }


def test_the_last_parameter_takes_the_rest_even_when_not_greedy() -> None:
    # NAME is a short text, but the last words given all belong to it.
    assert bind(ENTITY_ADD.params, "yoko-kamikawa person Yoko Kamikawa", ENTITY_ADD.usage) == {
        "key": "yoko-kamikawa",
        "kind": "person",
        "name": "Yoko Kamikawa",
    }


def test_a_long_text_keeps_the_quotes_typed_inside_it() -> None:
    values = fact_add(f'Nozdrev said "we will respond" about:japan source:{SOURCE}')
    assert values["text"] == 'Nozdrev said "we will respond"'
    values = fact_add(f"Nozdrev said “we will respond” about:japan source:{SOURCE}")
    assert values["text"] == "Nozdrev said “we will respond”"


# --- name:value ----------------------------------------------------------------


def test_named_values_may_come_in_any_order() -> None:
    typed = 'yoko-kamikawa person "Yoko Kamikawa" summary:"Japan\'s foreign minister."'
    shuffled = (
        'summary:"Japan\'s foreign minister." name:"Yoko Kamikawa" kind:person key:yoko-kamikawa'
    )
    mixed = 'kind:person yoko-kamikawa summary:"Japan\'s foreign minister." "Yoko Kamikawa"'
    expected = {
        "key": "yoko-kamikawa",
        "kind": "person",
        "name": "Yoko Kamikawa",
        "summary": "Japan's foreign minister.",
    }
    for text in (typed, shuffled, mixed):
        assert bind(ENTITY_ADD.params, text, ENTITY_ADD.usage) == expected, text


def test_quoted_values_keep_their_spaces() -> None:
    text = 'ria-2024-03 "Nozdrev interview" outlet:"RIA Novosti" published:2024-03-20'
    assert bind(SOURCE_ADD.params, text, SOURCE_ADD.usage) == {
        "key": "ria-2024-03",
        "title": "Nozdrev interview",
        "outlet": "RIA Novosti",
        "published": "2024-03-20",
    }


@pytest.mark.parametrize(
    "typed",
    ["title:“Russia warns Japan”", "title:„Russia warns Japan“", "title:“Russia warns Japan“"],
)
def test_curly_quotes_work_like_straight_ones(typed: str) -> None:
    values = bind(SOURCE_ADD.params, f"ap-2024 {typed}", SOURCE_ADD.usage)
    assert values == {"key": "ap-2024", "title": "Russia warns Japan"}


def test_a_quote_inside_a_quoted_value_is_escaped_with_a_backslash() -> None:
    values = fact_add(f'text:"Nozdrev said \\"no\\" twice" about:japan source:{SOURCE}')
    assert values["text"] == 'Nozdrev said "no" twice'
    values = fact_add(f"text:“Nozdrev said \\”no\\” twice” about:japan source:{SOURCE}")
    assert values["text"] == "Nozdrev said ”no” twice"


def test_apostrophes_and_colons_that_name_no_parameter_are_plain_words() -> None:
    values = fact_add(f"Japan's minister said: no. about:japan source:{SOURCE} date:2024-03")
    assert values == {
        "text": "Japan's minister said: no.",
        "about": "japan",
        "source": SOURCE,
        "date": "2024-03",
    }
    # A word glued to a quote is still one word when its name is not a parameter.
    assert fact_add(f'Nozdrev said:"no" about:japan source:{SOURCE}')["text"] == (
        'Nozdrev said:"no"'
    )


def test_an_empty_quoted_value_is_given_but_empty() -> None:
    assert fact_add(f'Text date:"" about:japan source:{SOURCE}')["date"] == ""


# --- mistakes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f'"Nozdrev warned Japan about:japan source:{SOURCE}',
        f"Nozdrev said “no about:japan source:{SOURCE}",
        'Text about:japan source:"russia-warns',
        'Text "ends with a backslash\\" about:japan',
    ],
)
def test_an_unclosed_quote_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="a quotation mark is not closed"):
        fact_add(text)


def test_a_usage_error_is_a_query_error_people_see() -> None:
    assert issubclass(UsageError, QueryError)


def test_a_parameter_given_twice_is_refused() -> None:
    with pytest.raises(UsageError) as raised:
        fact_add(f"Text about:japan source:{SOURCE} date:2024 date:2023")
    assert str(raised.value) == f"`date:` is given twice. Usage: `{FACT_ADD.usage}`"


@pytest.mark.parametrize(
    ("params", "usage", "text", "extra"),
    [
        (
            ENTITY_ADD.params,
            ENTITY_ADD.usage,
            'yoko-kamikawa person "Yoko" "Kamikawa"',
            '"Kamikawa"',
        ),
        (HISTORY.params, HISTORY.usage, "record:japan russia", "russia"),
        (COMMANDS["help"].params, COMMANDS["help"].usage, "me please", "me please"),
        (PAIR, PAIR_USAGE, '"south korea" "japan" russia', "russia"),
    ],
)
def test_words_beyond_what_a_command_takes_are_refused(
    params: tuple[Param, ...], usage: str, text: str, extra: str
) -> None:
    with pytest.raises(UsageError) as raised:
        bind(params, text, usage)
    assert str(raised.value) == f"`{extra}` is more than the command takes. Usage: `{usage}`"


def test_overlong_extra_words_are_clipped_in_the_message() -> None:
    with pytest.raises(UsageError, match="is more than the command takes") as raised:
        bind(COMMANDS["help"].params, "word " * 30, "!help")
    assert "…` is more" in str(raised.value)


def test_a_missing_required_parameter_names_itself_and_the_usage() -> None:
    with pytest.raises(UsageError) as raised:
        bind(ENTITY_ADD.params, "yoko-kamikawa", ENTITY_ADD.usage)
    assert str(raised.value) == f"`kind` is missing. Usage: `{ENTITY_ADD.usage}`"
    assert ENTITY_ADD.usage.startswith("curate entity add KEY KIND NAME [summary:SUMMARY]")


def test_incomplete_binding_leaves_missing_parameters_out() -> None:
    assert bind(ENTITY_ADD.params, "yoko-kamikawa", ENTITY_ADD.usage, complete=False) == {
        "key": "yoko-kamikawa"
    }
    assert bind(WHO.params, "", WHO.usage, complete=False) == {}
    with pytest.raises(UsageError, match="`name` is missing"):
        bind(WHO.params, "", WHO.usage)


# --- parameters taken only by name ---------------------------------------------


def test_a_file_is_never_filled_by_position() -> None:
    # A file comes attached; words typed after `curate import` are not its name.
    assert bind(IMPORT.params, "", IMPORT.usage) == {}
    assert "file" not in bind(IMPORT.params, "more-facts.yaml", IMPORT.usage)
    assert IMPORT.usage == "curate import (attach a FILE) [reason:REASON]"


def test_named_parameters_are_never_filled_by_position() -> None:
    # about: is required (source: may come from `curate source use`), yet loose words
    # all go to the text.
    assert fact_add("Nozdrev warned japan russia", complete=False) == {
        "text": "Nozdrev warned japan russia"
    }
    with pytest.raises(UsageError, match="`about` is missing"):
        fact_add("Nozdrev warned japan russia")
    assert "about:ABOUT [source:SOURCE]" in FACT_ADD.usage


def test_an_optional_parameter_is_filled_by_position_only_when_none_is_required() -> None:
    assert bind(HISTORY.params, "japan", HISTORY.usage) == {"record": "japan"}
    # entity delete's flag stays optional: the words go to the (required) entity.
    assert bind(ENTITY_DELETE.params, "japan yes", ENTITY_DELETE.usage) == {"entity": "japan yes"}
    assert bind(ENTITY_DELETE.params, "japan with_facts:yes", ENTITY_DELETE.usage) == {
        "entity": "japan",
        "with_facts": "yes",
    }


def test_placeholders_show_how_each_parameter_is_given() -> None:
    assert Param("key", "k", type=Arg.KEY).placeholder == "KEY"
    assert Param("about", "a", type=Arg.ENTITIES, named=True).placeholder == "about:ABOUT"
    assert Param("date", "d", required=False, type=Arg.DATE).placeholder == "[date:DATE]"
    assert Param("file", "f", type=Arg.FILE).placeholder == "(attach a FILE)"


# --- values --------------------------------------------------------------------


def test_subjects_read_keys_with_optional_roles() -> None:
    assert subjects("japan, nikolai-nozdrev=actor") == [
        "japan",
        {"entity": "nikolai-nozdrev", "role": "actor"},
    ]
    assert subjects(" russia = party ,, japan ,") == [
        {"entity": "russia", "role": "party"},
        "japan",
    ]
    assert subjects("japan=") == ["japan"]
    assert subjects("") == []


def test_split_list_drops_empty_items() -> None:
    assert split_list("russia, japan,,  iturup ,") == ["russia", "japan", "iturup"]
    assert split_list(" , ") == []


@pytest.mark.parametrize("text", ["yes", "Y", "true", "ON", "1", " yes "])
def test_flag_yes(text: str) -> None:
    assert flag("with_facts", text) is True


@pytest.mark.parametrize("text", ["no", "N", "false", "off", "0"])
def test_flag_no(text: str) -> None:
    assert flag("with_facts", text) is False


@pytest.mark.parametrize("text", ["maybe", "", "yess", "2"])
def test_flag_refuses_anything_else(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        flag("with_facts", text)
    assert str(raised.value) == f"`with_facts:` takes yes or no, not `{text}`"


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("#12", 12), (" 7 ", 7), ("0", 0)])
def test_number_reads_whole_numbers(text: str, value: int) -> None:
    assert number("number", text) == value


@pytest.mark.parametrize("text", ["abc", "-1", "1.5", "", "12a", "9" * 19])
def test_number_refuses_anything_else(text: str) -> None:
    with pytest.raises(UsageError, match=r"^`number:` takes a number, such as 12, not `"):
        number("number", text)


def test_number_refuses_superscript_digits() -> None:
    with pytest.raises(UsageError):
        number("number", "²")


def test_a_fact_text_may_start_with_a_quotation() -> None:
    values = fact_add(f'"We will respond," Nozdrev said. about:nikolai-nozdrev source:{SOURCE}')
    assert values["text"] == '"We will respond," Nozdrev said.'


def test_timeline_takes_a_quoted_first_name_then_a_second() -> None:
    values = bind(TIMELINE.params, '"kuril islands dispute" japan', TIMELINE.usage)
    assert values == {"name": "kuril islands dispute", "other": "japan"}
