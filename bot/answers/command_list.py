"""``!help``: the lookup commands, with an example of each, in the syntax they were asked in."""

from __future__ import annotations

from bot.answers.catalog import Catalog
from bot.answers.commands import COMMANDS, HELP, Translation, command, current_syntax
from bot.core.answer import Answer, Status


@command(
    HELP,
    "The commands, with an example of each.",
    "!help",
    translations=(
        Translation("ru", "помощь", "Команды с примером для каждой."),
        Translation("ja", "ヘルプ", "コマンド一覧と使用例。"),
    ),
)
def help_(catalog: Catalog) -> Answer:
    syntax = current_syntax()
    lines = tuple(
        f"{syntax.usage(spec)}: {spec.summary} Example: {syntax.example(spec)}"
        for spec in COMMANDS.values()
    )
    return Answer(
        HELP,
        "",
        Status.FOUND,
        title="diplobot commands",
        notice="Names may be misspelt, partial, or in another script.",
        lines=lines,
    )
