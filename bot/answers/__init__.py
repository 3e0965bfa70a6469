"""What the lookup commands know: the in-memory catalog, the lookups, and their answers.

The registry is `bot.answers.commands`; each lookup is declared with its
``@command`` in a handler module of its own concern, and every such module is
imported here, in the order ``!help`` lists the lookups and Discord shows them.
A new lookup is a new handler module (or a new ``@command`` in one) added to
this list; nothing else changes.
"""

# isort: off
from bot.answers import (
    people,
    disputes,
    entities,
    fact_search,
    timelines,
    recent,
    sources,
    command_list,
    names,
)

# isort: on

__all__ = [
    "command_list",
    "disputes",
    "entities",
    "fact_search",
    "names",
    "people",
    "recent",
    "sources",
    "timelines",
]
