"""Text helpers shared by every app: NFC storage and diacritic-insensitive folding.

`nfc` also removes the characters a person cannot see: zero-width spaces and joiners, bidi
controls (which can make "evil.exe" read as "exe.live"), the byte-order mark and other
format characters (Unicode category Cf), and control characters other than whitespace (Cc).
A name, a code or a comment made only of them is therefore empty, and refused as such.

Pure Python, no Django import.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

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
    if (
        value.isprintable()  # so its only whitespace is " ", and nothing is invisible
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and unicodedata.is_normalized("NFC", value)
    ):
        return value  # the common case, already clean: answered without copying
    return _SPACES.sub(" ", unicodedata.normalize("NFC", strip_invisible(value))).strip()


def fold(value: str) -> str:
    """Lower-case `value` and strip its diacritics: "Nguyễn Văn An" -> "nguyen van an"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


# --- Vietnamese collation ----------------------------------------------------------------
#
# Names are sorted the way ICU's Vietnamese collation (`vi-x-icu` on PostgreSQL) sorts them:
# letters in the Vietnamese alphabet order (ă and â after a, đ after d, ê after e, ô and ơ
# after o, ư after u), tone marks only where the letters are equal (none < huyền < hỏi < ngã
# < sắc < nặng), lower case before upper case only where everything else is equal.
# `collation_key` encodes these three levels as digits, so the key sorts the same way in
# Python, as SQLite's BINARY and under any PostgreSQL collation: a stored key gives one order
# on every database (tests check it against `vi-x-icu`).

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {letter: 13 + i for i, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SEPARATOR = "00"
_KEY_LENGTH = 1000


def _clusters(value: str) -> list[str]:
    """`value` in NFD, cut into base characters each with its combining marks."""
    clusters: list[str] = []
    for ch in unicodedata.normalize("NFD", value):
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _weights(decomposed: str) -> tuple[int, int, int]:
    """(primary, tone, case) of one base character with its combining marks."""
    ch = decomposed[0]
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        else:
            kept.append(part)
    letter = unicodedata.normalize("NFC", "".join(kept))
    lower = letter.lower()
    case = 1 if letter != lower else 0
    if lower in _PRIMARY:
        return _PRIMARY[lower], tone, case
    if lower[:1] in _PRIMARY:  # a foreign letter such as ç sorts with its base letter
        return _PRIMARY[lower[:1]], tone, case
    if ch.isspace():
        return 1, 0, 0
    if ch.isdigit():
        return 3 + (unicodedata.digit(ch, 0) % 10), 0, 0
    return 2, 0, 0  # punctuation and symbols sort before digits and letters


@functools.lru_cache(maxsize=65536)  # names repeat: a province has few distinct given names
def collation_key(value: str) -> str:
    """A string of digits that sorts `value` in Vietnamese alphabetical order."""
    weights = [_weights(cluster) for cluster in _clusters(value)]
    primary = "".join(f"{p:02d}" for p, _t, _c in weights)
    tones = "".join(f"{t + 1:02d}" for _p, t, _c in weights)
    cases = "".join(f"{c + 1:02d}" for _p, _t, c in weights)
    return _SEPARATOR.join((primary, tones, cases))


def name_parts(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name: "Nguyễn Thị Thu Hà" ->
    ("Nguyễn", "Thị Thu", "Hà"). A one-word name is a given name."""
    words = nfc(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


# The Vietnamese convention for lists of people and ballots: given name, family, middle.
VIETNAMESE_NAME_ORDER = ("given", "family", "middle")


def name_key(full_name: str, order: tuple[str, ...] = VIETNAMESE_NAME_ORDER) -> str:
    """The sort key of a full name, its parts compared one after the other in `order`."""
    family, middle, given = name_parts(full_name)
    parts = {"given": given, "family": family, "middle": middle, "full": full_name}
    key = _SEPARATOR.join(collation_key(parts[p]) for p in order)
    return key[:_KEY_LENGTH]


def vietnamese_document_date(day: date) -> str:
    """A date as Vietnamese documents write it: "ngày 03 tháng 4 năm 2025".

    Days below 10 and the months 1 and 2 take a leading zero (Decree 30/2020/NĐ-CP,
    appendix I), so that nothing can be written in front of them.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
