"""A file of named NumPy arrays with a checked header, read back by memory mapping.

The layout is plain: the magic bytes, the header's length, the header (JSON: the
format, what the file is of, the arrays' names, types, sizes and places, and a
CRC-32 of everything after it), then each array's bytes at a 64-byte boundary.
Reading maps the file and hands out read-only views of it, so processes on one
machine that read the same file share its pages. Nothing in a file can run code:
only the listed plain number types are accepted, and every place is checked.

Files are written whole to a temporary name beside the target and renamed over it,
so a reader finds the old file or the new one, never half of one, and two writers
at once each rename a whole file of their own.
"""

from __future__ import annotations

import json
import mmap
import os
import secrets
import struct
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"DIPLOSNP"
_LENGTH = struct.Struct("<I")
_ALIGN = 64
_HEADER_MAX = 1 << 20
_TYPES = frozenset({"<i8", "<i4", "<i2", "|u1", "|i1"})
"""The array types a file may hold: plain integers and bytes."""
SEPARATOR = "\x00"
"""What separates the strings of a packed string list (no stored text holds it)."""


class PackError(ValueError):
    """A file that is not a whole, well-formed pack of the kind expected."""


def pack_strings(strings: Sequence[str]) -> np.ndarray:
    """Strings as one array of UTF-8 bytes, NUL between them (ValueError if one has a NUL)."""
    joined = SEPARATOR.join(strings)
    if joined.count(SEPARATOR) != max(0, len(strings) - 1):
        raise ValueError("a string holds a NUL character")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def unpack_strings(data: np.ndarray, count: int) -> list[str]:
    """The count strings `pack_strings` packed (PackError if there are not count)."""
    if count == 0:
        if len(data):
            raise PackError("strings where none were expected")
        return []
    try:
        strings = data.tobytes().decode("utf-8").split(SEPARATOR)
    except UnicodeDecodeError as error:
        raise PackError("text that is not UTF-8") from error
    if len(strings) != count:
        raise PackError(f"{len(strings)} strings where {count} were expected")
    return strings


def write_pack(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """Write arrays and meta (JSON values) to path, atomically; OSError if it cannot."""
    places: list[list[Any]] = []
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        places.append([name, array.dtype.str, int(array.size), offset, int(array.nbytes)])
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    crc = 0
    for array in arrays.values():
        data = np.ascontiguousarray(array).tobytes()
        crc = zlib.crc32(data, crc)
        crc = zlib.crc32(bytes(-len(data) % _ALIGN), crc)
    header = json.dumps(
        {"meta": dict(meta), "arrays": places, "payload": offset, "crc": crc},
        ensure_ascii=True,
    ).encode()
    start = -(-(len(MAGIC) + _LENGTH.size + len(header)) // _ALIGN) * _ALIGN
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        with open(partial, "wb") as out:
            out.write(MAGIC + _LENGTH.pack(len(header)) + header)
            out.write(bytes(start - out.tell()))
            for array in arrays.values():
                data = np.ascontiguousarray(array).tobytes()
                out.write(data)
                out.write(bytes(-len(data) % _ALIGN))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_pack(
    path: Path, expected: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The meta and arrays of the pack at path, the arrays as read-only views of the
    mapped file. PackError unless the file is whole and its meta holds every item of
    expected; OSError if it cannot be read."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size < len(MAGIC) + _LENGTH.size:
            raise PackError("the file is too short")
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[: len(MAGIC)] != MAGIC:
        raise PackError("not a diplobot snapshot")
    (length,) = _LENGTH.unpack_from(mapped, len(MAGIC))
    header_end = len(MAGIC) + _LENGTH.size + length
    if length > _HEADER_MAX or header_end > size:
        raise PackError("the header is cut short")
    try:
        header = json.loads(mapped[len(MAGIC) + _LENGTH.size : header_end])
        meta, places, payload, crc = (header[k] for k in ("meta", "arrays", "payload", "crc"))
    except (ValueError, TypeError, KeyError) as error:
        raise PackError("the header is not readable") from error
    if not isinstance(meta, dict) or any(meta.get(k) != v for k, v in expected.items()):
        raise PackError("it is of another store, revision or diplobot version")
    start = -(-header_end // _ALIGN) * _ALIGN
    if not isinstance(payload, int) or start + payload != size:
        raise PackError(f"the file is {size:,} bytes, not {start + payload:,}: cut short")
    with memoryview(mapped) as view:
        if zlib.crc32(view[start:]) != crc:
            raise PackError("its contents do not match their checksum")
    return meta, _arrays(mapped, places, start, payload)


def _arrays(mapped: mmap.mmap, places: Any, start: int, payload: int) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    try:
        for name, kind, count, offset, nbytes in places:
            dtype = np.dtype(kind) if kind in _TYPES else None
            if dtype is None or not isinstance(name, str):
                raise PackError(f"an array of a type not allowed here ({kind!r})")
            fits = offset >= 0 and offset % _ALIGN == 0 and offset + nbytes <= payload
            if not fits or count < 0 or count * dtype.itemsize != nbytes:
                raise PackError(f"the array {name!r} lies outside the file")
            arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + offset)
    except (TypeError, ValueError) as error:
        if isinstance(error, PackError):
            raise
        raise PackError("the list of arrays is not readable") from error
    return arrays


__all__ = ["PackError", "pack_strings", "read_pack", "unpack_strings", "write_pack"]
