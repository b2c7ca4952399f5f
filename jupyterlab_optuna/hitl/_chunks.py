"""Long text in study system attrs, as optuna-dashboard splits it: ``{prefix}0``, ``{prefix}1``…

Each chunk holds at most 2045 characters (what every storage backend accepts in one
attr). A shorter text written over a longer one blanks the leftover chunks, since a
storage cannot delete a system attr; readers stop at the first missing chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHUNK_LENGTH = 2045


def chunk_writes(prefix: str, text: str, stored_attrs: Mapping[str, Any]) -> dict[str, str]:
    """The system attrs that store ``text`` under ``prefix``, leftovers of ``stored_attrs``
    blanked."""
    pieces = [text[i : i + CHUNK_LENGTH] for i in range(0, len(text), CHUNK_LENGTH)] or [""]
    writes = {f"{prefix}{i}": piece for i, piece in enumerate(pieces)}
    i = len(pieces)
    while stored_attrs.get(f"{prefix}{i}"):
        writes[f"{prefix}{i}"] = ""
        i += 1
    return writes


def read_chunks(prefix: str, system_attrs: Mapping[str, Any]) -> str:
    """The text stored under ``prefix``."""
    pieces: list[str] = []
    while (piece := system_attrs.get(f"{prefix}{len(pieces)}")) is not None:
        pieces.append(piece)
    return "".join(pieces)
