"""A minimal ZIP writer that stores members compressed once and reused many times.

A .docx is a ZIP package. Most of its parts (styles, theme, fonts table, the letterhead's
header and images) are identical in every letter; :mod:`zipfile` would deflate them again for
each file. :class:`Member` keeps the deflated bytes and the CRC, and :func:`write_zip` writes
them as they are, deflating only the parts that change per letter. The output is a plain ZIP
(no ZIP64, members < 4 GiB) that zipfile, Word and LibreOffice read.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, as python-docx writes
_DOS_TIME = 0


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes  # deflated (raw) or stored bytes
    crc: int
    size: int
    method: int  # 8 deflate, 0 stored


def member(name: str, raw: bytes, level: int = 6) -> Member:
    """Compress *raw* once into a reusable member."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    return Member(name, data, zlib.crc32(raw), len(raw), 8)


def write_zip(members: list[Member]) -> bytes:
    """The ZIP file holding *members* in order."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        flags = 0x800 if not m.name.isascii() else 0
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, _DOS_TIME, _DOS_DATE,
            m.crc, len(m.data), m.size, len(name), 0,
        )
        out += name
        out += m.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, m.method, _DOS_TIME, _DOS_DATE,
            m.crc, len(m.data), m.size, len(name), 0, 0, 0, 0, 0, offset,
        )
        central += name
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)
