"""Sealed electronic ballots: an election key split 2-of-n among the counting board.

Pure (no Django). When an electronic poll opens, the election gets a Curve25519 key pair;
ballots are stored only as libsodium sealed boxes to its public key. The private key is
never stored: it is cut into two 16-byte halves, each split with Shamir's scheme (2 of n,
PyCryptodome), and member *i* receives share *i* of both halves, sealed to that member's
counting key. Any two members' shares rebuild the key at the count; one share says nothing.

A counting key is a member's own key pair for one congress: the public half is stored, the
private half is shown to the member once as text (`DK` + 56 base32 characters in groups,
the last three bytes a checksum that catches a mistyped key) and never kept by the server.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from Crypto.Protocol.SecretSharing import Shamir
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

KEY_BYTES = 32
SHARE_BYTES = 1 + 2 * 16  # the share's index, then one share of each half of the key
THRESHOLD = 2
_CHECK_BYTES = 3
_PREFIX = "DK"


class SealingError(ValueError):
    """A key, share or sealed ballot that cannot be used; `code` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def new_key_pair() -> KeyPair:
    key = PrivateKey.generate()
    return KeyPair(public=bytes(key.public_key), private=bytes(key))


def public_of(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


# Counting keys as text ------------------------------------------------------------------


def counting_key_text(private: bytes) -> str:
    check = hashlib.blake2b(private, digest_size=_CHECK_BYTES).digest()
    raw = base64.b32encode(private + check).decode()  # 35 bytes: 56 characters, no padding
    return _PREFIX + "-" + "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def counting_key_from_text(text: str) -> bytes:
    """The private counting key from its text; spaces, dashes and case do not matter."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if cleaned.startswith(_PREFIX):
        cleaned = cleaned[len(_PREFIX) :]
    if len(cleaned) != 56:
        raise SealingError("counting_key_malformed")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise SealingError("counting_key_malformed") from None
    private, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if hashlib.blake2b(private, digest_size=_CHECK_BYTES).digest() != check:
        raise SealingError("counting_key_malformed")
    return private


# Splitting and joining the election key --------------------------------------------------


def split_key(private: bytes, *, holders: int) -> list[bytes]:
    """`holders` shares of `private`, any `THRESHOLD` of which rebuild it."""
    if len(private) != KEY_BYTES or holders < THRESHOLD:
        raise SealingError("counting_keys_too_few")
    halves = [Shamir.split(THRESHOLD, holders, private[i : i + 16]) for i in (0, 16)]
    shares = []
    for (index, first), (index_2, second) in zip(*halves, strict=True):
        assert index == index_2
        shares.append(bytes([index]) + first + second)
    return shares


def join_shares(shares: Sequence[bytes]) -> bytes:
    """The private key from `THRESHOLD` shares with distinct indexes."""
    if len({s[:1] for s in shares}) < THRESHOLD:
        raise SealingError("count_needs_two_shares")
    if any(len(s) != SHARE_BYTES for s in shares):
        raise SealingError("counting_share_damaged")
    chosen = shares[:THRESHOLD]
    halves = [
        Shamir.combine([(s[0], s[1 + offset : 17 + offset]) for s in chosen]) for offset in (0, 16)
    ]
    return halves[0] + halves[1]


def check_key(private: bytes, *, public: bytes) -> None:
    if public_of(private) != public:
        raise SealingError("counting_shares_do_not_match")


# Sealed boxes ---------------------------------------------------------------------------


def seal(public: bytes, data: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(public)).encrypt(data))


def unseal(private: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(private)).decrypt(bytes(sealed)))
    except CryptoError:
        raise SealingError("sealed_box_damaged") from None


# Ballots as padded plaintext -------------------------------------------------------------


def padded_size(slate: Iterable[str]) -> int:
    """One length for every ballot of an election: the longest content, rounded up.

    Sealed boxes are as long as what they hold; padding keeps the number of names kept
    from showing in the ciphertext's length."""
    ids = sorted(str(i) for i in slate)
    longest = len(_encode({"agreed": ids, "disagreed": ids}))
    return max(256, -(-(longest + 1) // 256) * 256)


def _encode(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def pack_ballot(content: dict[str, Any], *, size: int) -> bytes:
    data = _encode(content)
    if len(data) >= size:
        raise SealingError("ballot_content_damaged")
    return data + b" " * (size - len(data))


def unpack_ballot(data: bytes) -> Any:
    try:
        return json.loads(data.rstrip(b" ").decode())
    except (UnicodeDecodeError, ValueError):
        raise SealingError("ballot_content_damaged") from None
