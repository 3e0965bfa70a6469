"""Where the lookups reach: user installs (DMs, group DMs, servers the bot never joined),
and command names and descriptions in Russian and Japanese."""

from __future__ import annotations

from typing import Any

from bot.chat.locales import TRANSLATIONS
from tests.chat.helpers import World

LOOKUPS = ("who", "dispute", "about", "search", "timeline", "source", "recent", "help", "names")


def synced(world: World) -> dict[str, dict[str, Any]]:
    """The commands as the last sync sent them to Discord, by name."""
    put = [r for r in world.env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    sent = put[-1].json
    assert sent is not None
    return {command["name"]: command for command in sent}


async def test_lookups_can_be_installed_by_users_and_curation_cannot(world: World) -> None:
    commands = synced(world)
    for name in LOOKUPS:
        assert sorted(commands[name]["integration_types"]) == [0, 1], name  # guild and user
        assert sorted(commands[name]["contexts"]) == [0, 1, 2], name  # guild, DM, group DM
    assert commands["curate"]["integration_types"] == [0]
    assert commands["curate"]["contexts"] == [0]


async def test_a_user_installed_lookup_answers_in_a_dm(world: World) -> None:
    stranger = world.env.create_user("stranger")
    result = await stranger.slash("who", name="nozdrev")
    assert result.response is not None
    assert result.response.embeds[0].title == "Nikolai Nozdrev"


async def test_lookup_names_and_descriptions_are_localised(world: World) -> None:
    commands = synced(world)
    for locale, table in TRANSLATIONS.items():
        for name, (local_name, description, options) in table.items():
            command = commands[name]
            assert command["name_localizations"][locale.value] == local_name
            assert command["description_localizations"][locale.value] == description
            assert len(description) <= 100
            for option in command.get("options", []):
                local_option, option_description = options[option["name"]]
                assert option["name_localizations"][locale.value] == local_option
                assert option["description_localizations"][locale.value] == option_description
    assert commands["who"]["name_localizations"] == {"ru": "кто", "ja": "人物"}
    menu = commands["Names in this message"]
    assert menu["name_localizations"] == {"ru": "Имена в сообщении", "ja": "この投稿の名前"}
    assert sorted(menu["integration_types"]) == [0, 1]
