"""Badge codes: unguessable, short enough to type, forgiving of how they are typed.

Pure Python, no Django import. Ten characters of Crockford base32 (50 random bits),
shown in two groups of five: ``7K3QD-XM9TA``.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
GROUP = 5
LENGTH = 10
# Letters people type for digits they see, and separators scanners or people add.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t\r\n")


def new_badge_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_badge_code(raw)


def format_badge_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalize_badge_code(typed: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be a badge code."""
    cleaned = typed.upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return format_badge_code(cleaned)


LOGIN_LENGTH = 20  # 100 random bits: a login code is a password that is used once


def new_login_code() -> str:
    """A one-time login code for a delegate's letter: ``K3QD7-XM9TA-4RW2P-8HV0C``."""
    return format_badge_code("".join(secrets.choice(ALPHABET) for _ in range(LOGIN_LENGTH)))


def normalize_login_code(typed: str) -> str | None:
    """The stored form of a typed or scanned login code, or None if it cannot be one."""
    cleaned = typed.upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(cleaned) != LOGIN_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return format_badge_code(cleaned)


def is_all_members_level(level_code: str, *, lowest_level: str, has_sub_units: bool) -> bool:
    """Whether a unit's congress is a congress of all members rather than of delegates.

    The lowest level (party cells) always meets as all members; so does a unit with no
    units below it, since no lower congress can elect delegates to it.
    """
    return level_code == lowest_level or not has_sub_units
