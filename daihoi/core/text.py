"""Text helpers shared by every app: NFC storage and diacritic-insensitive folding.

`nfc` also removes the characters a person cannot see: zero-width spaces and joiners, bidi
controls (which can make "evil.exe" read as "exe.live"), the byte-order mark and other
format characters (Unicode category Cf), and control characters other than whitespace (Cc).
A name, a code or a comment made only of them is therefore empty, and refused as such.

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


def _visible(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cf":
        return False
    return not (category == "Cc" and not ch.isspace())


def strip_invisible(value: str) -> str:
    """`value` without format characters (zero-width, bidi controls, BOM) and non-space
    control characters."""
    if value.isprintable():  # the common case: nothing to remove, and fast
        return value
    return "".join(ch for ch in value if _visible(ch))


def nfc(value: str) -> str:
    """Return `value` in Unicode NFC, invisible characters removed, inner whitespace collapsed
    and the ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", strip_invisible(value))).strip()


def fold(value: str) -> str:
    """Lower-case `value` and strip its diacritics: "Nguyễn Văn An" -> "nguyen van an"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
