"""The hardened YAML loader curation files are read with, and the YAML they are written as.

It builds plain data only (a safe loader), refuses a mapping that gives a field
twice, refuses aliases that would expand past `ALIAS_VALUES_MAX` values before
anything is built, and keeps an unquoted date that names no real day as text,
so the checks report it by place.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import yaml

from bot.curation.problems import quote

ALIAS_VALUES_MAX = 100_000
"""The most values a YAML file's aliases may repeat in all (``*name`` repeats all of ``&name``).

Checking a file costs time for every value it holds once its aliases are
expanded, so a few kilobytes of aliases to aliases could otherwise keep an
import busy for minutes. Plain files repeat nothing; a file that shares a few
records through anchors stays far below the limit.
"""
_ALIAS_BOMB = (
    "aliases (*name) repeat more than {limit:,} values in all, "
    "counting every value under each anchor they name; the most repeated is "
    "&{anchor} (line {line}); write the records out instead"
)
_ALIAS_LOOP = "an alias (*name) is used inside its own anchor (&name)"
_SIZE_CAP = 1 << 62
"""Sizes stop growing here, so counting stays cheap whatever the file nests."""


class Unreadable(Exception):
    """A YAML document refused before it is built; the message is the one problem."""


def _yaml_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a composed document whose aliases repeat too much, or that contains itself.

    Every node is sized once (the size of a node used through several aliases
    is remembered), so the check takes time in proportion to the file as
    written, however far its aliases would expand. Too much repetition raises
    `_Repeats` with the node whose aliases repeat the most values.
    """
    sizes: dict[int, int] = {}
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        ident = id(node)
        children = _yaml_children(node)
        if finished:
            open_nodes.discard(ident)
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[ident] = min(total, _SIZE_CAP)
        elif ident in sizes:
            uses[ident] = uses.get(ident, 0) + 1  # an alias to a node already sized
        else:
            if ident in open_nodes:
                raise Unreadable(f"line {node.start_mark.line + 1}: {_ALIAS_LOOP}")
            open_nodes.add(ident)
            nodes[ident] = node
            stack.append((node, True))
            stack.extend((child, False) for child in children)
    if sizes[id(root)] - len(sizes) > ALIAS_VALUES_MAX:
        worst = max(uses, key=lambda ident: min(uses[ident] * sizes[ident], _SIZE_CAP))
        raise _Repeats(nodes[worst].start_mark)


class _Repeats(Exception):
    """Aliases repeat too much; mark is where the most repeated anchored node starts."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("aliases repeat too much")
        self.mark = mark


def _anchor_at(text: str, mark: yaml.Mark) -> str:
    """The name of the anchor on the node that starts at mark (read again, up to it)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        anchor = getattr(event, "anchor", None)
        start = event.start_mark
        if start is None:
            continue
        if anchor is not None and (start.line, start.column) == (mark.line, mark.column):
            return str(anchor)
        if (start.line, start.column) > (mark.line, mark.column):
            break
    return "name"


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser, where PyYAML was built with it, reads about ten times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """The safe YAML loader, refusing a mapping that gives the same field twice.

    Before anything is built, the composed document is checked with
    `_check_expansion`, so aliases cannot multiply the work of reading it.

    A value no constructor can build (``!!int x``) is a marked error, so it is
    reported by line; an unquoted date or time that names no real one
    (``2023-02-30``) stays text, so the checks report it by place, exactly as
    they do when it is quoted.
    """

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            shown = quote(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} cannot be read as {tag}", node.start_mark
            ) from error

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)  # a marked error
        self.flatten_mapping(node)
        seen: set[Hashable] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"{quote(key)} is given twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_or_text(loader: _StrictLoader, node: yaml.Node) -> date | datetime | str:
    """A date or time, or its text when it names no real one (``2023-02-30``)."""
    if isinstance(node, yaml.ScalarNode):
        if loader.timestamp_regexp.match(node.value):
            try:
                return loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                pass
        return loader.construct_scalar(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]  # raises a marked error


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

TOO_DEEP = "lists or mappings nested too deeply to read"


def load_yaml(text: str) -> object:
    """The plain data of a YAML text.

    Raises `Unreadable` for aliases that repeat too much, `yaml.MarkedYAMLError`
    (with its line) for broken syntax, and `RecursionError` when it nests too deeply.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds plain data only
    except _Repeats as repeats:
        anchor = _anchor_at(text, repeats.mark)
        raise Unreadable(
            _ALIAS_BOMB.format(limit=ALIAS_VALUES_MAX, anchor=anchor, line=repeats.mark.line + 1)
        ) from None


def dump_yaml(doc: Mapping[str, Any]) -> str:
    """doc as the YAML text curation files are written in: readable UTF-8, fields in order."""
    return yaml.safe_dump(dict(doc), allow_unicode=True, sort_keys=False)
