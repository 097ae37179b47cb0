"""The integer IDs spaCy's `Doc.to_array` holds for strings, for numpy tests over whole Docs.

Words, lemmas and tags are stored as 64-bit string hashes; dependency labels and parts of
speech as spaCy symbols. Components that scan a Doc with numpy compare against these.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.strings import hash_string
from spacy.symbols import IDS as SYMBOLS


def array_id(string: str) -> np.uint64:
    """The value a Doc array holds for `string`: its spaCy symbol if it has one, else its hash."""
    return np.uint64(SYMBOLS.get(string, hash_string(string)))


def array_ids(strings: Iterable[str]) -> np.ndarray:
    """Sorted distinct array values of several strings (for `np.isin`)."""
    return np.array(sorted({int(array_id(s)) for s in strings}), dtype=np.uint64)
