"""The lookup commands' names and descriptions, and the "Names in this message" menu's
name, in Russian and Japanese, the languages of the seed's story. Answers stay in English
for now; so do the curators' commands.

Each lookup declares its own translations in the registry (`Command.translations`);
this module hands them to Discord, and holds the menu's name, which is no lookup."""

from __future__ import annotations

from discord import Locale, app_commands

from bot.answers.commands import COMMANDS, Translation

Table = dict[str, tuple[str, str, dict[str, tuple[str, str]]]]
"""For each lookup command: its name, its description, then (name, description) per option."""


def translations() -> dict[Locale, Table]:
    """Each locale's names and descriptions, by the English command and option names,
    as the registry declares them now."""
    tables: dict[Locale, Table] = {}
    for spec in COMMANDS.values():
        for given in spec.translations:
            table = tables.setdefault(Locale(given.locale), {})
            table[spec.name] = (given.name, given.summary, dict(given.params))
    return tables


TRANSLATIONS = translations()
"""Each locale's names and descriptions, by the English command and option names."""

MENU_NAMES = {Locale.russian: "Имена в сообщении", Locale.japanese: "この投稿の名前"}
"""The "Names in this message" menu's name in each locale."""


class Translator(app_commands.Translator):
    """Looks the lookup commands and their options up in the registry's translations."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        location = context.location
        data = context.data
        if isinstance(data, app_commands.Command):
            entry = _translation(data.qualified_name, locale)
            if entry is None:
                return None
            is_name = location is app_commands.TranslationContextLocation.command_name
            return entry.name if is_name else entry.summary
        if isinstance(data, app_commands.ContextMenu):
            return MENU_NAMES.get(locale)
        if isinstance(data, app_commands.Parameter):
            entry = _translation(data.command.qualified_name, locale)
            option = entry.params.get(data.name) if entry else None
            if option is None:
                return None
            is_name = location is app_commands.TranslationContextLocation.parameter_name
            return option[0] if is_name else option[1]
        return None


def _translation(command: str, locale: Locale) -> Translation | None:
    """The lookup ``command``'s translation for ``locale``, if it declares one."""
    spec = COMMANDS.get(command)
    if spec is None:
        return None
    return next((given for given in spec.translations if given.locale == locale.value), None)
