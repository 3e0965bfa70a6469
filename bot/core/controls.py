"""Control characters that typed or pasted text must not carry into an answer.

Lookups refuse them (`bot.answers.commands.check_query`), ``!names`` refuses
them but keeps line breaks (`bot.answers.names.check_text`), and the "Names in
this message" menu reads them as spaces (`bot.chat.names_menu.message_text`).
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction overrides and isolates, which can make echoed text read backwards."""


def is_control(char: str, *, keep: str = "") -> bool:
    """Whether ``char`` is a control character (Unicode category Cc) or a direction
    override or isolate; the control characters in ``keep`` (line breaks) are not."""
    if char in BIDI_CONTROLS:
        return True
    return unicodedata.category(char) == "Cc" and char not in keep
