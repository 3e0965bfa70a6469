"""``!names TEXT`` and ``diplobot names FILE`` on the seed data: every stored name a text
mentions, in any script, most mentioned first."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.answers.catalog import Catalog, EntityRecord
from bot.answers.commands import COMMANDS, answer
from bot.answers.names import MAX_TEXT, TITLE, check_text, names, names_answer
from bot.answers.text_json import as_json, as_text
from bot.cli import main
from bot.core.answer import Answer, EntityRef, Status
from bot.errors import QueryError

# The seed article's body (shared/seed-article.txt), as a message would quote it.
SEED_ARTICLE = """\
Russia warns Japan on missile transfer to Ukraine, threatens ties

The Russian Ambassador in Tokyo, Nikolai Nozdrev, has issued a warning to Japan in response \
to the potential transfer of Patriot missiles produced in Japan to Ukraine. Nozdrev emphasized \
that such an action could have severe repercussions for the bilateral relations between Russia \
and Japan, including possible "retaliatory steps."

By the end of 2023, the White House announced Japan's agreement to a United States request to \
supply Patriot air defense systems. According to the Associated Press, speculation arose about \
the potential deployment of these weapons by Ukraine in its conflict with Russia following this \
announcement.

At the government agency Ria Novosti, Russian Ambassador Nikolai Nozdrev discussed the issue of \
the Patriot missiles. He warned of consequences should the missiles end up in Ukraine.

Territorial Dispute Between Russia and Japan

The relationship between Russia and Japan has been strained for years, primarily due to a \
territorial dispute over the Kuril Islands. Following World War II, Japan officially renounced \
its rights to this archipelago in favour of the Soviet Union. However, the Japanese government \
argues that this renunciation did not include specific islands: Iturup, Kunashir, Shikotan, and \
the Habomai group, which Tokyo refers to as the Northern Territories.
"""

DONE_WHEN = ["nikolai-nozdrev", "japan", "russia", "ukraine", "kuril-islands"]


def keys(result: Answer) -> list[str]:
    return [ref.key for ref in result.related[0].entities] if result.related else []


def test_the_seed_article_names_nozdrev_japan_russia_ukraine_and_the_kurils(
    catalog: Catalog,
) -> None:
    result = names(catalog, SEED_ARTICLE)
    assert result.status is Status.FOUND
    assert set(DONE_WHEN) <= set(keys(result))
    assert keys(result)[:3] == ["japan", "russia", "ukraine"]  # the most mentioned first
    # Islands named in the article, but not the dispute: "territorial dispute over the
    # Kuril Islands" is not the name "Kuril Islands dispute".
    assert {"iturup", "kunashir", "shikotan", "habomai", "southern-kurils"} <= set(keys(result))
    assert "kuril-islands-dispute" not in keys(result)
    assert result.notice == f"{len(keys(result))} names the store knows, most mentioned first."


def test_each_name_is_one_line_with_its_kind_and_summary(catalog: Catalog) -> None:
    result = names(catalog, "Nozdrev warned Japan.")
    assert result.lines == (
        "Nikolai Nozdrev (person) — Russian Ambassador to Japan, based in Tokyo.",
        "Japan (country) — Island country in East Asia; party to the Kuril Islands dispute "
        "with Russia.",
    )
    assert result.title == TITLE
    assert not result.suggestions  # entities, keyed, are in `related`


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ноздрёв предупредил Японию", ["nikolai-nozdrev"]),  # "Японию" is not "Япония"
        ("Ноздрёв и Япония", ["nikolai-nozdrev", "japan"]),
        ("ノズドリョフ大使は択捉島について語った", ["nikolai-nozdrev", "iturup"]),
        ("NOZDREV, nozdrëv and Nozdrev", ["nikolai-nozdrev"]),
        ("the Kuril Islands dispute", ["kuril-islands-dispute"]),
        ("Russia’s view of Japan's", ["russia", "japan"]),
    ],
)
def test_names_in_any_script_with_the_folding_of_lookups(
    catalog: Catalog, text: str, expected: list[str]
) -> None:
    assert keys(names(catalog, text)) == expected


def test_names_the_store_does_not_know_are_left_out(catalog: Catalog) -> None:
    result = names(catalog, "Vladimir Putin met Xi Jinping in Tirana; he told us.")
    assert result.status is Status.NOT_FOUND
    assert result.notice == "The text names nothing the store knows."
    assert not result.lines and not result.related


def test_it_is_a_registered_lookup_command(catalog: Catalog) -> None:
    assert COMMANDS["names"].handler is names
    result = answer(catalog, "!names Nozdrev warned Japan over Patriot missiles")
    assert keys(result) == ["nikolai-nozdrev", "japan", "patriot"]
    assert answer(catalog, "!names").status is Status.ERROR


def test_it_takes_a_whole_discord_message(catalog: Catalog) -> None:
    text = ("Japan and Russia. " * 300)[:MAX_TEXT]
    result = answer(catalog, f"!names {text}")
    assert result.status is Status.FOUND, result.notice
    assert keys(result) == ["japan", "russia"]
    assert answer(catalog, f"!names {SEED_ARTICLE}").status is Status.FOUND


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * (MAX_TEXT + 1), "keep it to 4,000 at most"),
        ("Japan\x00Russia", "control characters"),
        ("Japan \u202eaisuR", "control characters"),
        ("  …  !!! ", "no letters or digits"),
    ],
)
def test_its_own_check_refuses_what_cannot_be_read(text: str, expected: str) -> None:
    with pytest.raises(QueryError, match=expected):
        check_text(text)


def test_line_breaks_and_tabs_are_allowed() -> None:
    assert check_text("  Japan\n\tRussia\r\n ") == "Japan\n\tRussia"
    assert check_text("x" * MAX_TEXT) == "x" * MAX_TEXT


def test_text_and_json_renderings(catalog: Catalog) -> None:
    result = names(catalog, "Ukraine and the Kuril Islands")
    text = as_text(result)
    assert text.splitlines()[:4] == [
        TITLE,
        "=" * len(TITLE),
        "2 names the store knows, most mentioned first.",
        "Names: Ukraine, Kuril Islands",
    ]
    assert "  Ukraine (country) — Country in Eastern Europe, in conflict with Russia." in text
    data = as_json(result)
    assert data["command"] == "names" and data["status"] == "found"
    assert data["lines"] == list(result.lines)
    assert [e["key"] for e in data["related"][0]["entities"]] == ["ukraine", "kuril-islands"]


def test_an_entity_without_a_summary_is_its_name_and_kind() -> None:
    catalog = Catalog([EntityRecord(EntityRef("tirana", "place", "Tirana"))], [], [])
    assert names_answer(catalog, "Tirana, Iran").lines == ("Tirana (place)",)


def test_the_matcher_is_built_once_on_first_use() -> None:
    catalog = Catalog([EntityRecord(EntityRef("iran", "country", "Iran"), ("Иран",))], [], [])
    assert not catalog.mentions_ready
    matcher = catalog.mentions
    assert catalog.mentions_ready and catalog.mentions is matcher
    assert keys(names_answer(catalog, "Иран")) == ["iran"]


# --- diplobot names FILE ------------------------------------------------------


def test_cli_names_prints_what_ask_prints(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Ноздрёв warned Japan;\nthe Kuril Islands dispute, 択捉島."
    (env / "message.txt").write_text(text, encoding="utf-8")
    assert main(["names", "message.txt"]) == 0
    by_file = capsys.readouterr().out
    assert main(["ask", f"!names {text}"]) == 0
    assert capsys.readouterr().out == by_file
    assert by_file.startswith(f"{TITLE}\n")
    assert "Nikolai Nozdrev (person) — Russian Ambassador to Japan" in by_file
    assert "Iturup (place)" in by_file and "Kuril Islands dispute (dispute)" in by_file


def test_cli_names_reads_stdin_and_a_whole_article(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SEED_ARTICLE))
    assert main(["names", "-", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    found = [entity["key"] for entity in data["related"][0]["entities"]]
    assert set(DONE_WHEN) <= set(found)
    assert main(["ask", f"!names {SEED_ARTICLE}", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lines"] == data["lines"]


def test_cli_names_exit_status_and_errors(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "none.txt").write_text("Nothing to see here.", encoding="utf-8")
    assert main(["names", "none.txt"]) == 1
    assert "names nothing the store knows" in capsys.readouterr().out
    (env / "long.txt").write_text("Japan " * 1000, encoding="utf-8")
    assert main(["names", "long.txt"]) == 2
    assert "keep it to 4,000 at most" in capsys.readouterr().out
    assert main(["names", "missing.txt"]) == 2
    assert "diplobot: cannot read missing.txt" in capsys.readouterr().err
    (env / "binary.txt").write_bytes(b"\xff\xfe\x00")
    assert main(["names", "binary.txt"]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
