"""Curation: the import/export format, moving files in and out of the store, and the
curation commands.

Importing the package registers every curation command: `bot.curation.operations`
is the registry, and each module named in `OPERATION_MODULES` registers a group
of operations in it. Their order here is the order ``curate help`` lists them.
"""

import importlib

OPERATION_MODULES = (
    "source_ops",
    "entity_ops",
    "alias_ops",
    "fact_ops",
    "file_ops",
    "article_ops",
    "history_ops",
    "suggest_ops",
    "help_ops",
)
"""The modules whose operations make up the curation commands, in the order they are listed."""

for _module in OPERATION_MODULES:
    importlib.import_module(f"{__name__}.{_module}")
