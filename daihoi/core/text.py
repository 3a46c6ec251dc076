"""Text helpers shared by every app: NFC storage and diacritic-insensitive folding.

Pure Python, no Django import.
"""

from __future__ import annotations

import re
import unicodedata

# Vietnamese letters that do not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans(
    {"đ": "d", "Đ": "d", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)
_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Return `value` in Unicode NFC with inner whitespace collapsed and the ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """Lower-case `value` and strip its diacritics: "Nguyễn Văn An" -> "nguyen van an"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
