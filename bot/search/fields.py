"""Turning an object's declared fields into named arrays and back, for `packing`.

A class lists the fields that make up its state, each with a codec name; `to_arrays`
gives the arrays a pack holds, `from_arrays` the values again (numbers as read-only
views of the file, where the field is a NumPy array already). A new field is one
more line in that list.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np

from bot.search.packing import PackError, pack_strings

Arrays = dict[str, np.ndarray]


def stable_hash(text: str) -> int:
    """A hash of text that is the same in every process (str's own is salted per process),
    so tables of hashes can be saved and loaded."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class PackedStrings(Sequence[str]):
    """A list of strings read from a pack: one UTF-8 buffer, each string decoded when
    it is asked for, so loading costs nothing in proportion to the list."""

    def __init__(self, data: np.ndarray, ends: np.ndarray) -> None:
        self._data, self._ends = data, ends
        self._starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        start, end = self._starts[at], self._ends[at]
        return self._data[start:end].tobytes().decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        if len(self._ends):
            yield from self._data.tobytes().decode("utf-8").split("\x00")


def _strings_out(value: Sequence[str]) -> Arrays:
    if isinstance(value, PackedStrings):  # saved again as it was read
        return {"": value._data, "ends": value._ends}
    data = pack_strings(value)
    ends = np.append(np.flatnonzero(data == 0), len(data)) if len(value) else np.zeros(0)
    return {"": data, "ends": ends.astype(np.int64)}


def _strings_in(arrays: Mapping[str, np.ndarray]) -> Any:
    data, ends = arrays[""], arrays["ends"]
    if len(ends) and (ends[-1] != len(data) or np.any(np.diff(ends) <= 0) or ends[0] < 0):
        raise PackError("a list of strings does not add up")
    if len(ends) > 1 and np.any(data[ends[:-1]] != 0):
        raise PackError("a list of strings does not add up")
    return PackedStrings(data, ends)


class HashedIds(Mapping[str, int]):
    """A string's number in a `PackedStrings`, found by its stable hash in a sorted array
    (the strings are attached by `attach` once read)."""

    def __init__(self, hashes: np.ndarray, ids: np.ndarray) -> None:
        self._hashes, self._ids = hashes, ids
        self._strings: Sequence[str] = ()

    def attach(self, strings: Sequence[str]) -> HashedIds:
        if len(strings) != len(self._ids) or (
            len(self._ids) and (self._ids.min() < 0 or self._ids.max() >= len(strings))
        ):
            raise PackError("a table of names does not fit its list")
        self._strings = strings
        return self

    def get(self, text: str, default: Any = None) -> Any:
        wanted = stable_hash(text)
        at = int(np.searchsorted(self._hashes, wanted))
        while at < len(self._hashes) and self._hashes[at] == wanted:
            number = int(self._ids[at])
            if self._strings[number] == text:
                return number
            at += 1
        return default

    def __getitem__(self, text: str) -> int:
        number = self.get(text)
        if number is None:
            raise KeyError(text)
        return int(number)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.get(text) is not None

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._strings)


def _ids_out(value: Mapping[str, int]) -> Arrays:
    if isinstance(value, HashedIds):
        return {"": value._ids, "hashes": value._hashes}
    hashes = np.fromiter(map(stable_hash, value), dtype=np.int64, count=len(value))
    ids = np.fromiter(value.values(), dtype=np.int64, count=len(value))
    order = np.argsort(hashes, kind="stable")
    return {"": ids[order], "hashes": hashes[order]}


def _ids_in(arrays: Mapping[str, np.ndarray]) -> Any:
    hashes, ids = arrays["hashes"], arrays[""]
    if len(hashes) != len(ids) or np.any(np.diff(hashes) < 0):
        raise PackError("a table of names is not in order")
    return HashedIds(hashes, ids)


class ListsByInt(Mapping[int, list[int]]):
    """Lists of ints by an int, read from a pack: sorted keys, where each list starts,
    and the values, found by binary search."""

    def __init__(self, keys: np.ndarray, starts: np.ndarray, values: np.ndarray) -> None:
        self._keys, self._starts, self._values = keys, starts, values

    def __getitem__(self, key: int) -> list[int]:
        at = int(np.searchsorted(self._keys, key))
        if at == len(self._keys) or self._keys[at] != key:
            raise KeyError(key)
        found: list[int] = self._values[self._starts[at] : self._starts[at + 1]].tolist()
        return found

    def within(self, key_limit: int, value_limit: int) -> bool:
        """Whether every key is in range(key_limit) and every value in range(value_limit)."""
        return all(
            len(part) == 0 or (part.min() >= 0 and part.max() < limit)
            for part, limit in ((self._keys, key_limit), (self._values, value_limit))
        )

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys.tolist())


def _ints_out(value: Any) -> Arrays:
    return {"": np.asarray(value, dtype=np.int64)}


def _lists_out(value: Mapping[int, list[int]]) -> Arrays:
    """A dict of int to a list of ints, as keys, where each list starts, and the values."""
    if isinstance(value, ListsByInt):
        return {"": value._keys, "starts": value._starts, "values": value._values}
    keys = sorted(value)
    sizes = [len(value[key]) for key in keys]
    return {
        "": np.asarray(keys, dtype=np.int64),
        "starts": np.cumsum([0, *sizes], dtype=np.int64),
        "values": np.asarray([v for key in keys for v in value[key]], dtype=np.int64),
    }


def _lists_in(arrays: Mapping[str, np.ndarray]) -> Any:
    keys, starts, values = arrays[""], arrays["starts"], arrays["values"]
    if len(starts) != len(keys) + 1 or starts[0] != 0 or starts[-1] != len(values):
        raise PackError("a table of lists does not add up")
    if np.any(np.diff(starts) < 0) or np.any(np.diff(keys) <= 0):
        raise PackError("a table of lists is not in order")
    return ListsByInt(keys, starts, values)


CODECS: dict[str, tuple[Callable[[Any], Arrays], Callable[[Mapping[str, np.ndarray]], Any]]] = {
    "strings": (_strings_out, _strings_in),
    "ids": (_ids_out, _ids_in),
    "numpy": (lambda value: {"": np.asarray(value)}, lambda arrays: arrays[""]),
    "array": (_ints_out, lambda arrays: array("q", arrays[""].astype(np.int64).tobytes())),
    "int list": (_ints_out, lambda arrays: arrays[""].tolist()),
    "lists by int": (_lists_out, _lists_in),
    "bytes": (
        lambda value: {"": np.frombuffer(bytes(value), dtype=np.uint8)},
        lambda arrays: bytearray(arrays[""].tobytes()),
    ),
}
"""Codec name -> (value to arrays, arrays to value)."""


def to_arrays(owner: Any, fields: Mapping[str, str], prefix: str, *, item: bool = False) -> Arrays:
    """The arrays of owner's fields (field -> codec name), named prefix.field[.part]; with
    item, owner is a mapping and the fields are its items."""
    arrays: Arrays = {}
    for field, codec in fields.items():
        value = owner[field] if item else getattr(owner, field)
        for part, data in CODECS[codec][0](value).items():
            arrays[f"{prefix}.{field}{'.' + part if part else ''}"] = data
    return arrays


def from_arrays(
    arrays: Mapping[str, np.ndarray], fields: Mapping[str, str], prefix: str
) -> dict[str, Any]:
    """The fields `to_arrays` wrote under prefix (PackError if any part is missing)."""
    values: dict[str, Any] = {}
    for field, codec in fields.items():
        name = f"{prefix}.{field}"
        parts = {
            key[len(name) + 1 :] if key != name else "": data
            for key, data in arrays.items()
            if key == name or key.startswith(name + ".")
        }
        try:
            values[field] = CODECS[codec][1](parts)
        except KeyError as error:
            raise PackError(f"the snapshot has no {name}") from error
    return values


__all__ = [
    "CODECS",
    "HashedIds",
    "ListsByInt",
    "PackedStrings",
    "from_arrays",
    "stable_hash",
    "to_arrays",
]
