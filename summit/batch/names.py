"""Columns stored as names: end_reason, walked_out and sequencing.

In memory (the rules, the summary, conditions such as ``walked_out < 0``) they are small
integer codes; in a Parquet or CSV table they are the words ``summit run --json`` prints
("deal", "russia", "on_promise"; null for nobody and for no deal), dictionary-encoded in
Parquet so that pandas reads them as categories. The dictionary is the whole vocabulary in
code order, so a stored index is the code itself.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from summit.rules.game import END_REASONS
from summit.scenario import SEQUENCINGS, Spec

NAMED = ("end_reason", "walked_out", "sequencing")
FIXED_WORDS = {"end_reason": tuple(END_REASONS), "sequencing": tuple(SEQUENCINGS)}


def vocabularies(spec: Spec) -> dict[str, tuple[str, ...]]:
    """The words of each named column, in code order (a negative code is null)."""
    return {**FIXED_WORDS, "walked_out": tuple(spec.actor_ids)}


def _strings(words: tuple[str, ...]) -> pa.Array:
    """Words as an Arrow string array, from buffers (pa.array would import pandas, 1 s)."""
    data = [w.encode() for w in words]
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in data])]).astype(np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(words), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    )


def named_array(codes: np.ndarray, words: tuple[str, ...]) -> pa.DictionaryArray:
    """Integer codes as a dictionary array over ``words``; a negative code is null."""
    codes = np.ascontiguousarray(codes, dtype=np.int8)
    valid = np.packbits(codes >= 0, bitorder="little")
    indices = pa.Array.from_buffers(
        pa.int8(), len(codes), [pa.py_buffer(valid), pa.py_buffer(codes)]
    )
    return pa.DictionaryArray.from_arrays(indices, _strings(words))


def codes_of(arr: pa.DictionaryArray, words: tuple[str, ...] | None = None) -> np.ndarray:
    """The codes of a dictionary array (null: -1), as int8. Without ``words`` the dictionary
    must be the whole vocabulary in code order (``named_array``'s, kept by Arrow IPC); with
    them it is looked up (Parquet keeps only the words a file uses)."""
    indices = arr.indices
    end = indices.offset + len(indices)
    dtype = np.dtype(str(indices.type))
    codes = np.frombuffer(indices.buffers()[1], dtype=dtype, count=end)[indices.offset :]
    if words is not None:
        lookup = np.array([words.index(w) for w in arr.dictionary.to_pylist()] or [-1])
        codes = lookup[np.clip(codes, 0, len(lookup) - 1)]
    codes = codes.astype(np.int8)
    bitmap = indices.buffers()[0]
    if bitmap is not None:
        bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
        codes = np.where(bits[indices.offset : end].astype(bool), codes, -1).astype(np.int8)
    return codes


def codes_from_words(words: list, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Codes of words read back from any table (CSV, or Parquet from elsewhere); a table of
    codes (written from ``simulate`` columns) passes through."""
    index = {w: k for k, w in enumerate(vocabulary)}
    return np.array(
        [w if isinstance(w, int) else index.get(w, -1) if w else -1 for w in words], dtype=np.int8
    )
