"""The lookup commands' names and descriptions, and the "Names in this message" menu's
name, in Russian and Japanese, the languages of the seed's story. Answers stay in English
for now; so do the curators' commands."""

from __future__ import annotations

from discord import Locale, app_commands

# For each lookup command: its name, its description, then (name, description) per option.
_RUSSIAN: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "who": (
        "кто",
        "Кто этот человек или организация и главные факты о них, сначала новые.",
        {"name": ("имя", "Человек или организация")},
    ),
    "dispute": (
        "спор",
        "Стороны спора, спорные территории и факты по датам.",
        {"name": ("название", "Спор, спорная территория или стороны")},
    ),
    "about": (
        "сведения",
        "Любая запись в базе: сводка, связи и факты, сначала новые.",
        {"name": ("название", "Человек, организация, страна, место или спор")},
    ),
    "search": (
        "поиск",
        "Факты, текст или участники которых совпадают со словами, сначала лучшие.",
        {"words": ("слова", "Слова для поиска в фактах")},
    ),
    "timeline": (
        "хронология",
        "Факты об одном объекте или о двух вместе, по датам.",
        {
            "name": ("название", "Объект"),
            "other": ("второй", "Второй объект: факты об обоих"),
        },
    ),
    "source": (
        "источник",
        "Ссылка на статью и факты, взятые из неё.",
        {"name": ("название", "Заголовок или ключ статьи")},
    ),
    "help": ("помощь", "Команды с примером для каждой.", {}),
    "names": (
        "имена",
        "Все записи базы, названные в тексте, на любом языке; сначала самые частые.",
        {"text": ("текст", "Текст, в котором искать имена")},
    ),
}

_JAPANESE: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "who": (
        "人物",
        "人物や組織の概要と主な事実（新しい順）。",
        {"name": ("名前", "人物または組織")},
    ),
    "dispute": (
        "紛争",
        "紛争の当事者、係争地、事実を日付順に。",
        {"name": ("名前", "紛争、係争地、または当事者")},
    ),
    "about": (
        "概要",
        "種類を問わず、登録項目の概要・関連項目・事実（新しい順）。",
        {"name": ("名前", "人物・組織・国・場所・紛争のいずれか")},
    ),
    "search": (
        "検索",
        "本文や対象が語句に一致する事実（関連度順）。",
        {"words": ("語句", "事実から探す語句")},
    ),
    "timeline": (
        "年表",
        "一つの項目、または二つの項目に共通する事実を日付順に。",
        {"name": ("名前", "項目"), "other": ("相手", "二つ目の項目（両方に関する事実）")},
    ),
    "source": (
        "出典",
        "記事の出典情報と、そこから得た事実。",
        {"name": ("名前", "記事の見出しまたはキー")},
    ),
    "help": ("ヘルプ", "コマンド一覧と使用例。", {}),
    "names": (
        "名前一覧",
        "文章に出てくる登録済みの名前をすべて表示（多い順）。",
        {"text": ("本文", "名前を探す文章")},
    ),
}

TRANSLATIONS = {Locale.russian: _RUSSIAN, Locale.japanese: _JAPANESE}
"""Each locale's names and descriptions, by the English command and option names."""

MENU_NAMES = {Locale.russian: "Имена в сообщении", Locale.japanese: "この投稿の名前"}
"""The "Names in this message" menu's name in each locale."""


class Translator(app_commands.Translator):
    """Looks the lookup commands and their options up in `TRANSLATIONS`."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        table = TRANSLATIONS.get(locale)
        if table is None:
            return None
        location = context.location
        data = context.data
        if isinstance(data, app_commands.Command):
            entry = table.get(data.qualified_name)
            if entry is None:
                return None
            name, description, _ = entry
            is_name = location is app_commands.TranslationContextLocation.command_name
            return name if is_name else description
        if isinstance(data, app_commands.ContextMenu):
            return MENU_NAMES.get(locale)
        if isinstance(data, app_commands.Parameter):
            entry = table.get(data.command.qualified_name)
            option = entry[2].get(data.name) if entry else None
            if option is None:
                return None
            is_name = location is app_commands.TranslationContextLocation.parameter_name
            return option[0] if is_name else option[1]
        return None
